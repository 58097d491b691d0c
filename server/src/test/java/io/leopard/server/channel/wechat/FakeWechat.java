package io.leopard.server.channel.wechat;

import com.github.binarywang.wxpay.util.SignUtils;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.leopard.server.channel.ChannelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A local WeChat Pay v2 for the tests: it checks each request's signature with WxJava's signer
 * (not ours, so the two are checked against each other), records it, and answers what the test
 * told it to, signed the same way unless told otherwise. Over HTTPS it demands a client
 * certificate from the test CA, like WeChat's {@code secapi}.
 */
final class FakeWechat implements AutoCloseable {
    static final String APPID = "wx2421b1c4370ec43b";
    static final String MCH_ID = "10000100";
    static final String KEY = "Kq3vZ8pL2mN7xR4tY9wB6cD1fG5hJ0sA";

    /** An answer: HTTP status, body, and how long to hold the headers or the body back. */
    record Reply(int status, String body, long headerDelayMillis, long bodyDelayMillis) {
        static Reply of(String body) {
            return new Reply(200, body, 0, 0);
        }

        Reply afterMillis(long millis) {
            return new Reply(status, body, millis, 0);
        }

        Reply bodyAfterMillis(long millis) {
            return new Reply(status, body, 0, millis);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger badSignatures = new AtomicInteger();
    private volatile Function<Map<String, String>, Reply> answer = request -> signed(request, Map.of());

    private FakeWechat(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeWechat http() throws IOException {
        return new FakeWechat(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** HTTPS, client certificates of the test CA required. */
    static FakeWechat https(WechatTestCertificates certs) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(new ByteArrayInputStream(Files.readAllBytes(certs.serverP12())), WechatTestCertificates.PASSWORD.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, WechatTestCertificates.PASSWORD.toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(certs.caPem()))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters ssl = context.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                params.setSSLParameters(ssl);
            }
        });
        return new FakeWechat(server);
    }

    URI baseUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** What to answer from now on, given the (signature-checked) request. */
    void answer(Function<Map<String, String>, Reply> answer) {
        this.answer = answer;
    }

    /** Answers {@code fields} over a signed success answer. */
    void answerSigned(Map<String, String> fields) {
        answer(request -> signed(request, fields));
    }

    int calls(String path) {
        AtomicInteger n = calls.get(path);
        return n == null ? 0 : n.get();
    }

    int calls() {
        return calls.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    Map<String, String> lastRequest() {
        return requests.get(requests.size() - 1);
    }

    int badSignatures() {
        return badSignatures.get();
    }

    /**
     * WeChat's answer to {@code request}: {@code return_code} and {@code result_code} SUCCESS, the
     * merchant's numbers, a nonce, then {@code fields} (a value of {@code null} removes the field),
     * signed with the request's {@code sign_type}.
     */
    static Reply signed(Map<String, String> request, Map<String, String> fields) {
        Map<String, String> answer = base(request);
        merge(answer, fields);
        answer.put("sign", sign(answer, request.getOrDefault("sign_type", "MD5")));
        return Reply.of(WechatXml.write(answer));
    }

    /** As {@link #signed}, without any sign. */
    static Reply unsigned(Map<String, String> request, Map<String, String> fields) {
        Map<String, String> answer = base(request);
        merge(answer, fields);
        return Reply.of(WechatXml.write(answer));
    }

    static String sign(Map<String, String> fields, String signType) {
        return SignUtils.createSign(fields, signType, KEY, new String[0]);
    }

    private static Map<String, String> base(Map<String, String> request) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("return_code", "SUCCESS");
        answer.put("return_msg", "OK");
        answer.put("appid", request.get("appid"));
        answer.put("mch_id", request.get("mch_id"));
        if (request.containsKey("sub_mch_id")) {
            answer.put("sub_mch_id", request.get("sub_mch_id"));
        }
        answer.put("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        answer.put("result_code", "SUCCESS");
        if (request.containsKey("out_trade_no")) {
            answer.put("out_trade_no", request.get("out_trade_no"));
        }
        return answer;
    }

    private static void merge(Map<String, String> answer, Map<String, String> fields) {
        fields.forEach((k, v) -> {
            if (v == null) {
                answer.remove(k);
            } else {
                answer.put(k, v);
            }
        });
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(1);
            calls.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            Map<String, String> request;
            try (InputStream in = exchange.getRequestBody()) {
                request = WechatXml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (ChannelException e) {
                send(exchange, new Reply(400, "not XML", 0, 0));
                return;
            }
            requests.add(request);
            String signType = request.getOrDefault("sign_type", "MD5");
            if (!sign(request, signType).equals(request.get("sign"))) {
                // what WeChat answers: unsigned
                badSignatures.incrementAndGet();
                send(exchange, Reply.of("<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[签名错误]]></return_msg></xml>"));
                return;
            }
            send(exchange, answer.apply(request));
        }
    }

    private void send(HttpExchange exchange, Reply reply) throws IOException {
        if (reply.headerDelayMillis() > 0) {
            waitFor(reply.headerDelayMillis());
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml; charset=UTF-8");
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (reply.bodyDelayMillis() > 0) {
                out.write(body, 0, Math.min(5, body.length));
                out.flush();
                waitFor(reply.bodyDelayMillis());
                out.write(body, Math.min(5, body.length), body.length - Math.min(5, body.length));
            } else {
                out.write(body);
            }
        } catch (IOException e) {
            // the client gave up (timeout, too large): nothing to tell it any more
        }
    }

    /** Sleeps, but no longer than until the fake is closed, so no test waits for a slow answer. */
    private void waitFor(long millis) {
        try {
            closed.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
