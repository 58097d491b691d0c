package io.leopard.server.sync.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A WeChat Pay v2 merchant API, written from the channel's published documentation only (not from
 * Leopard's adapter): {@code pay/orderquery}, {@code pay/closeorder} and {@code secapi/pay/reverse},
 * XML bodies of flat {@code <xml><k>v</k>...</xml>}, signed with the merchant's API key
 * ({@code MD5} of {@code k=v&...&key=KEY}, uppercase hex, or {@code HMAC-SHA256} keyed with the key).
 *
 * <p>It checks every request as WeChat Pay would (appid, mch_id, nonce_str, signature) and records
 * it; a test says per {@code out_trade_no} how to answer ({@link #on}), which may be a lie.
 * {@code secapi/} needs the merchant's client certificate, as at WeChat Pay: without one the
 * answer is HTTP 403 and the call is counted as {@code secapiWithoutCertificate}.
 */
final class IndependentWechat implements AutoCloseable {
    static final String APPID = "wx2421b1c4370ec43b";
    static final String MCH_ID = "10000100";
    static final String KEY = "192006250b4c09247ec02edce69f6a2d";

    /** What a test wants answered: a body and an HTTP status, after an optional delay. */
    record Answer(int status, String body, long delayMs) {
        static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    /** A request as the fake got it: path, parsed fields, whether its signature was right, the client certificate's subject. */
    record Received(String path, Map<String, String> fields, boolean signOk, String clientCert) {
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final AtomicInteger xxeFetches = new AtomicInteger();
    final AtomicInteger sandboxCalls = new AtomicInteger();
    final AtomicInteger secapiWithoutCertificate = new AtomicInteger();
    /** path + "|" + out_trade_no → how to answer; absent: an honest NOTPAY (query) or SUCCESS (close, reverse). */
    private final Map<String, Function<Map<String, String>, Answer>> behaviours = new ConcurrentHashMap<>();

    private IndependentWechat(HttpServer server) {
        this.server = server;
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
    }

    static IndependentWechat http() throws IOException {
        return new IndependentWechat(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
    }

    /** HTTPS with {@code tls}, asking every client for a certificate (required on {@code secapi/}). */
    static IndependentWechat https(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = tls.getDefaultSSLParameters();
                p.setWantClientAuth(true);
                params.setSSLParameters(p);
            }
        });
        return new IndependentWechat(s);
    }

    String baseUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    void on(String path, String outTradeNo, Function<Map<String, String>, Answer> behaviour) {
        behaviours.put(path + "|" + outTradeNo, behaviour);
    }

    int count(String path, String outTradeNo) {
        AtomicInteger n = calls.get(path + "|" + outTradeNo);
        return n == null ? 0 : n.get();
    }

    List<Received> received(String path, String outTradeNo) {
        return received.stream().filter(r -> r.path().equals(path) && outTradeNo.equals(r.fields().get("out_trade_no"))).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath().replaceFirst("^/", "");
            if (path.startsWith("sandboxnew/")) {
                path = path.substring("sandboxnew/".length()); // WeChat Pay's simulation root: the same API under a prefix
                sandboxCalls.incrementAndGet();
            }
            if (path.equals("xxe.dtd")) {
                xxeFetches.incrementAndGet();
                reply(ex, 200, "<!ENTITY leak \"SUCCESS\">");
                return;
            }
            String clientCert = null;
            if (ex instanceof HttpsExchange https) {
                try {
                    Certificate[] peer = https.getSSLSession().getPeerCertificates();
                    clientCert = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
                } catch (SSLPeerUnverifiedException none) {
                    clientCert = null;
                }
            }
            if (path.startsWith("secapi/") && clientCert == null) {
                secapiWithoutCertificate.incrementAndGet();
                reply(ex, 403, "client certificate required");
                return;
            }
            byte[] raw;
            try (InputStream in = ex.getRequestBody()) {
                raw = in.readAllBytes();
            }
            Map<String, String> fields = parse(new String(raw, StandardCharsets.UTF_8));
            boolean signOk = requestSignOk(fields);
            received.add(new Received(path, fields, signOk, clientCert));
            String out = fields.getOrDefault("out_trade_no", "");
            calls.computeIfAbsent(path + "|" + out, k -> new AtomicInteger()).incrementAndGet();
            if (!List.of("pay/orderquery", "pay/closeorder", "secapi/pay/reverse").contains(path)) {
                reply(ex, 404, "no such API");
                return;
            }
            if (!APPID.equals(fields.get("appid")) || !MCH_ID.equals(fields.get("mch_id"))) {
                reply(ex, 200, xml(fail("appid and mch_id do not match")));
                return;
            }
            if (!signOk) {
                reply(ex, 200, xml(fail("签名错误")));
                return;
            }
            String nonce = fields.get("nonce_str");
            if (nonce == null || nonce.isEmpty() || nonce.length() > 32) {
                reply(ex, 200, xml(fail("nonce_str 参数错误")));
                return;
            }
            Function<Map<String, String>, Answer> b = behaviours.get(path + "|" + out);
            Answer a = b != null ? b.apply(fields) : honest(path, fields);
            if (a.delayMs() > 0) {
                try {
                    Thread.sleep(a.delayMs());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (a.status() / 100 == 3) {
                ex.getResponseHeaders().set("Location", a.body()); // a redirect: the body is where to
                reply(ex, a.status(), "");
                return;
            }
            reply(ex, a.status(), a.body());
        } catch (IOException e) {
            // the client went away (a timed-out call): nothing to answer
        }
    }

    private Answer honest(String path, Map<String, String> req) {
        return switch (path) {
            case "pay/orderquery" -> Answer.ok(signedXml(notPay(req), req));
            case "pay/closeorder" -> Answer.ok(signedXml(okBase(req), req));
            default -> {
                Map<String, String> m = okBase(req);
                m.put("recall", "N");
                yield Answer.ok(signedXml(m, req));
            }
        };
    }

    // ---- answers -------------------------------------------------------------------------------

    static Map<String, String> okBase(Map<String, String> req) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("return_code", "SUCCESS");
        m.put("return_msg", "OK");
        m.put("appid", APPID);
        m.put("mch_id", MCH_ID);
        m.put("nonce_str", "fakeNonce" + Long.toHexString(System.nanoTime()));
        m.put("result_code", "SUCCESS");
        return m;
    }

    static Map<String, String> notPay(Map<String, String> req) {
        Map<String, String> m = okBase(req);
        m.put("out_trade_no", req.get("out_trade_no"));
        m.put("trade_state", "NOTPAY");
        m.put("trade_state_desc", "订单未支付");
        return m;
    }

    static Map<String, String> paid(Map<String, String> req, long totalFee, String transactionId, String timeEnd) {
        Map<String, String> m = okBase(req);
        m.put("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        m.put("is_subscribe", "N");
        m.put("trade_type", "MICROPAY");
        m.put("bank_type", "CMC");
        m.put("total_fee", Long.toString(totalFee));
        m.put("fee_type", "CNY");
        m.put("cash_fee", Long.toString(totalFee));
        m.put("transaction_id", transactionId);
        m.put("out_trade_no", req.get("out_trade_no"));
        m.put("attach", "");
        m.put("time_end", timeEnd);
        m.put("trade_state", "SUCCESS");
        m.put("trade_state_desc", "支付成功");
        return m;
    }

    static Map<String, String> fail(String msg) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("return_code", "FAIL");
        m.put("return_msg", msg);
        return m;
    }

    /** {@code fields} with {@code sign} (the request's sign_type, MD5 if none) added last. */
    static String signedXml(Map<String, String> fields, Map<String, String> req) {
        return signedXml(fields, req.getOrDefault("sign_type", "MD5"), KEY);
    }

    static String signedXml(Map<String, String> fields, String signType, String key) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        m.put("sign", sign(fields, signType, key));
        return xml(m);
    }

    static String xml(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder("<xml>");
        fields.forEach((k, v) -> {
            boolean plain = v.matches("[0-9]+");
            sb.append('<').append(k).append('>').append(plain ? v : "<![CDATA[" + v + "]]>").append("</").append(k).append('>');
        });
        return sb.append("</xml>").toString();
    }

    /** WeChat Pay v2: the non-empty fields but sign, sorted by name, {@code k=v&...&key=KEY}; MD5 or HMAC-SHA256, uppercase hex. */
    static String sign(Map<String, String> fields, String signType, String key) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(fields).forEach((k, v) -> {
            if (!k.equals("sign") && v != null && !v.isEmpty()) {
                sb.append(k).append('=').append(v).append('&');
            }
        });
        sb.append("key=").append(key);
        byte[] in = sb.toString().getBytes(StandardCharsets.UTF_8);
        try {
            byte[] digest;
            if ("HMAC-SHA256".equals(signType)) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                digest = mac.doFinal(in);
            } else if ("MD5".equals(signType)) {
                digest = MessageDigest.getInstance("MD5").digest(in);
            } else {
                throw new IllegalArgumentException("sign_type " + signType);
            }
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean requestSignOk(Map<String, String> fields) {
        String given = fields.get("sign");
        String type = fields.getOrDefault("sign_type", "MD5");
        if (given == null || !(type.equals("MD5") || type.equals("HMAC-SHA256"))) {
            return false;
        }
        return sign(fields, type, KEY).equals(given);
    }

    private static final Pattern ELEMENT = Pattern.compile("<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\\[CDATA\\[(.*?)]]>|([^<]*))</\\1>", Pattern.DOTALL);

    /** The flat {@code <xml>} of a request, without any XML library (a fake trusts nothing it gets either). */
    static Map<String, String> parse(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        String inner = body.trim();
        if (!inner.startsWith("<xml>") || !inner.endsWith("</xml>")) {
            return m;
        }
        Matcher x = ELEMENT.matcher(inner.substring(5, inner.length() - 6));
        while (x.find()) {
            m.put(x.group(1), x.group(2) != null ? x.group(2) : unescape(x.group(3)));
        }
        return m;
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/xml; charset=UTF-8");
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
