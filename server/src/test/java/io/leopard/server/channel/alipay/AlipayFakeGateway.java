package io.leopard.server.channel.alipay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Alipay's gateway on a local port, for the adapter's tests. It holds its own key pair (it signs
 * answers as Alipay does, over the response object's text) and the app's public key (it checks each
 * request's RSA2 signature with its own code, not the adapter's). What it answers is set per test;
 * the helpers build answers right and wrong in every way the adapter must notice.
 */
final class AlipayFakeGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to send back: status, body, and how long to wait first. */
    record Reply(int status, String body, Duration delay) {
        static Reply ok(String body) {
            return new Reply(200, body, Duration.ZERO);
        }
    }

    private final KeyPair alipay;
    private final PublicKey appPublic;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger badRequests = new AtomicInteger();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private volatile Function<Map<String, String>, Reply> responder = params -> new Reply(500, "not set", Duration.ZERO);

    AlipayFakeGateway(KeyPair alipay, PublicKey appPublic) throws IOException {
        this.alipay = alipay;
        this.appPublic = appPublic;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/gateway.do", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do");
    }

    int calls() {
        return calls.get();
    }

    /** Requests whose signature the app's public key did not verify, or that lacked a common parameter. */
    int badRequests() {
        return badRequests.get();
    }

    Map<String, String> lastRequest() {
        return requests.getLast();
    }

    String lastContentType() {
        return contentTypes.getLast();
    }

    void answer(Function<Map<String, String>, Reply> responder) {
        this.responder = responder;
    }

    /** Answers every call with {@code body}. */
    void answer(String body) {
        answer(params -> Reply.ok(body));
    }

    /** Answers with {@code content} under the element of the method called, signed right. */
    void answerSigned(Map<String, ?> content) {
        answer(params -> Reply.ok(signed(element(params), json(content))));
    }

    static String element(Map<String, String> params) {
        return params.get("method").replace('.', '_') + "_response";
    }

    /** {@code {"<element>":<content>,"sign":"<Alipay's signature of content>"}}, content as given. */
    String signed(String element, String content) {
        return signedBy(alipay.getPrivate(), element, content);
    }

    static String signedBy(PrivateKey key, String element, String content) {
        return "{\"" + element + "\":" + content + ",\"sign\":\"" + sign(key, content) + "\"}";
    }

    static String unsigned(String element, String content) {
        return "{\"" + element + "\":" + content + "}";
    }

    String sign(String content) {
        return sign(alipay.getPrivate(), content);
    }

    static String json(Map<String, ?> content) {
        try {
            return JSON.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A query answer of code 10000 for {@code outTradeNo}, as Alipay writes one. */
    static Map<String, String> trade(String outTradeNo, String status, String amount) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("code", "10000");
        content.put("msg", "Success");
        content.put("buyer_logon_id", "159****5620");
        content.put("buyer_pay_amount", "0.00");
        content.put("out_trade_no", outTradeNo);
        content.put("point_amount", "0.00");
        content.put("receipt_amount", "0.00");
        content.put("total_amount", amount);
        content.put("trade_no", "2026120322001404500512345678");
        content.put("trade_status", status);
        if (status.equals("TRADE_SUCCESS") || status.equals("TRADE_FINISHED")) {
            content.put("send_pay_date", "2026-12-03 09:05:00");
        }
        return content;
    }

    /** An error answer: {@code code}, {@code msg}, {@code sub_code}, {@code sub_msg}. */
    static Map<String, String> error(String code, String subCode) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("code", code);
        content.put("msg", code.equals("20000") ? "Service Currently Unavailable" : "Business Failed");
        content.put("sub_code", subCode);
        content.put("sub_msg", "业务处理失败");
        return content;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> params = form(body);
            requests.add(params);
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!"POST".equals(exchange.getRequestMethod()) || !validRequest(params)) {
                badRequests.incrementAndGet();
                send(exchange, 200, unsigned("error_response",
                        json(Map.of("code", "40002", "msg", "Invalid Arguments", "sub_code", "isv.invalid-signature"))));
                return;
            }
            Reply reply = responder.apply(params);
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(exchange, reply.status(), reply.body());
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (a timeout test): nothing to do
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /** The gateway's check: the common parameters there, the RSA2 signature the app's. */
    private boolean validRequest(Map<String, String> params) {
        for (String name : List.of("app_id", "method", "charset", "sign_type", "timestamp", "version", "sign", "biz_content")) {
            if (!params.containsKey(name)) {
                return false;
            }
        }
        String content = params.entrySet().stream()
                .filter(e -> !e.getKey().equals("sign") && !e.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&"));
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(appPublic);
            verifier.update(content.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(Base64.getDecoder().decode(params.get("sign")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    static String sign(PrivateKey key, String content) {
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
