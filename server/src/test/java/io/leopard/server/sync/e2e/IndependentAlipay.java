package io.leopard.server.sync.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alipay's open API gateway, written from the channel's published documentation only (not from
 * Leopard's adapter): one URL ({@code /gateway.do}) taking a form POST (system parameters may also
 * come in the query string) with {@code app_id}, {@code method}, {@code charset}, {@code sign_type=RSA2},
 * {@code timestamp}, {@code version=1.0}, {@code biz_content} (JSON) and {@code sign}: SHA256withRSA
 * by the application's private key over the sorted {@code k=v&...} of every non-empty parameter but
 * {@code sign}. The answer is {@code {"<method with _>_response":{...},"sign":"..."}}, the sign being
 * SHA256withRSA by Alipay's private key over the response object's text exactly as sent.
 *
 * <p>Methods: {@code alipay.trade.query}, {@code alipay.trade.close}, {@code alipay.trade.cancel}.
 * A test says per method and {@code out_trade_no} what to answer ({@link #on}); the default is an
 * honest WAIT_BUYER_PAY, or a successful close/cancel.
 */
final class IndependentAlipay implements AutoCloseable {
    static final String APP_ID = "2021000117600001";

    /** The raw body to send (already signed or not), after an optional delay. */
    record Answer(int status, String body, long delayMs) {
        static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    record Received(Map<String, String> params, boolean signOk, String outTradeNo) {
    }

    final KeyPair app;
    final KeyPair alipay;
    /** Another key pair: what a forger signs with. */
    final KeyPair forger;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, Function<Received, Answer>> behaviours = new ConcurrentHashMap<>();
    /** The trades the fake holds (out_trade_no → total_amount), as the platform placed them. */
    private final Map<String, String> trades = new ConcurrentHashMap<>();

    IndependentAlipay() throws IOException, GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        app = g.generateKeyPair();
        alipay = g.generateKeyPair();
        forger = g.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    String gateway() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway.do";
    }

    /** The merchant's credentials as {@code PUT .../channels/alipay} takes them. */
    String credentialsJson() {
        return "{\"appId\":\"" + APP_ID + "\",\"privateKey\":\"" + pem("PRIVATE KEY", app.getPrivate().getEncoded())
                + "\",\"alipayPublicKey\":\"" + Base64.getEncoder().encodeToString(alipay.getPublic().getEncoded()) + "\"}";
    }

    private static String pem(String type, byte[] der) {
        String text = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
        return text.replace("\n", "\\n"); // as a JSON string
    }

    /** The platform placed this trade at Alipay (an honest query answers its total_amount). */
    void placed(String outTradeNo, String totalAmount) {
        trades.put(outTradeNo, totalAmount);
    }

    void on(String method, String outTradeNo, Function<Received, Answer> behaviour) {
        behaviours.put(method + "|" + outTradeNo, behaviour);
    }

    int count(String method, String outTradeNo) {
        AtomicInteger n = calls.get(method + "|" + outTradeNo);
        return n == null ? 0 : n.get();
    }

    List<Received> received(String method, String outTradeNo) {
        return received.stream().filter(r -> method.equals(r.params().get("method")) && outTradeNo.equals(r.outTradeNo())).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestURI().getPath().equals("/gateway.do")) {
                reply(ex, 404, "not found");
                return;
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (ex.getRequestURI().getRawQuery() != null) {
                params.putAll(form(ex.getRequestURI().getRawQuery()));
            }
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            params.putAll(form(new String(raw, StandardCharsets.UTF_8)));
            boolean signOk = verify(signContent(params), params.get("sign"), app.getPublic());
            String out = field(params.getOrDefault("biz_content", ""), "out_trade_no");
            Received r = new Received(params, signOk, out);
            received.add(r);
            String method = params.getOrDefault("method", "");
            calls.computeIfAbsent(method + "|" + out, k -> new AtomicInteger()).incrementAndGet();
            String responseKey = method.replace('.', '_') + "_response";
            if (!APP_ID.equals(params.get("app_id"))) {
                reply(ex, 200, "{\"" + responseKey + "\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\",\"sub_code\":\"isv.invalid-app-id\",\"sub_msg\":\"无效的AppID参数\"}}");
                return;
            }
            if (!"RSA2".equals(params.get("sign_type")) || !signOk) {
                reply(ex, 200, "{\"" + responseKey + "\":{\"code\":\"40002\",\"msg\":\"Invalid Arguments\",\"sub_code\":\"isv.invalid-signature\",\"sub_msg\":\"验签出错\"}}");
                return;
            }
            Function<Received, Answer> b = behaviours.get(method + "|" + out);
            Answer a = b != null ? b.apply(r) : honest(method, out);
            if (a == null) {
                reply(ex, 200, "{\"" + responseKey + "\":{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"isv.invalid-method\"}}");
                return;
            }
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply(ex, a.status(), a.body());
        } catch (IOException e) {
            // the client went away
        }
    }

    private Answer honest(String method, String out) {
        return switch (method) {
            case "alipay.trade.query" -> trades.containsKey(out)
                    ? Answer.ok(signed(method, "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_pay_amount\":\"0.00\",\"out_trade_no\":\"" + out
                            + "\",\"point_amount\":\"0.00\",\"receipt_amount\":\"0.00\",\"total_amount\":\"" + trades.get(out)
                            + "\",\"trade_no\":\"2026120322001400000000000001\",\"trade_status\":\"WAIT_BUYER_PAY\"}"))
                    : Answer.ok(signed(method, "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\","
                            + "\"sub_msg\":\"交易不存在\",\"out_trade_no\":\"" + out + "\"}"));
            case "alipay.trade.close" -> Answer.ok(signed(method, "{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"2026120322001400000000000001\",\"out_trade_no\":\"" + out + "\"}"));
            case "alipay.trade.cancel" -> Answer.ok(signed(method, "{\"code\":\"10000\",\"msg\":\"Success\",\"out_trade_no\":\"" + out
                    + "\",\"retry_flag\":\"N\",\"action\":\"close\"}"));
            default -> null;
        };
    }

    /** {@code {"<method>_response":<object>,"sign":"<RSA2 of object's text by Alipay's key>"}}. */
    String signed(String method, String object) {
        return envelope(method, object, sign(object, alipay.getPrivate()));
    }

    static String envelope(String method, String object, String sign) {
        return "{\"" + method.replace('.', '_') + "_response\":" + object + ",\"sign\":\"" + sign + "\"}";
    }

    static String signContent(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> {
            if (!k.equals("sign") && v != null && !v.isEmpty()) {
                sb.append(sb.isEmpty() ? "" : "&").append(k).append('=').append(v);
            }
        });
        return sb.toString();
    }

    static String sign(String text, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean verify(String text, String sign, PublicKey key) {
        if (sign == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(text.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getDecoder().decode(sign));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String item : body.split("&")) {
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            String k = eq < 0 ? item : item.substring(0, eq);
            String v = eq < 0 ? "" : item.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    /** A string field of a flat JSON object (enough for biz_content's out_trade_no). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "";
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html;charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
