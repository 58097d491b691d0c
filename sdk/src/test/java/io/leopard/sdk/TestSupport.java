package io.leopard.sdk;

import io.leopard.server.testing.LiveLeopard;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Test doubles and an independent implementation of the protocol's signature (MessageDigest directly). */
final class TestSupport {
    static final String MID = LiveLeopard.MID;
    static final String KEY = LiveLeopard.KEY;

    private TestSupport() {
    }

    /** PROTOCOL.md section 3, written again from the page, not from the protocol module. */
    static String sign(Map<String, ?> fields, String key, String jcaDigest) {
        TreeMap<String, String> sorted = new TreeMap<>();
        fields.forEach((k, v) -> {
            String s = v.toString();
            if (!k.equals("sign") && !s.isEmpty()) {
                sorted.put(k, s);
            }
        });
        StringBuilder sb = new StringBuilder();
        sorted.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : "&").append(k).append('=').append(v));
        sb.append('&').append(key);
        try {
            byte[] d = MessageDigest.getInstance(jcaDigest).digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static String md5(Map<String, ?> fields) {
        return sign(fields, KEY, "MD5");
    }

    /** A flat JSON object: BigDecimal values written as numbers (their literal text), the rest as strings. */
    static String json(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(k)).append(':').append(v instanceof BigDecimal ? v.toString() : quote(v.toString()));
        });
        return sb.append('}').toString();
    }

    static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The common head of a success answer. */
    static LinkedHashMap<String, Object> success() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("code", "SUCCESS");
        m.put("msg", "ok");
        m.put("resultCode", "SUCCESS");
        m.put("mid", MID);
        m.put("noise", "6W5H246VQ0Z3ABCDEFGH1234567890ab");
        return m;
    }

    static LinkedHashMap<String, Object> order(String orderNo) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("orderNo", orderNo);
        m.put("flowNo", "20161101010100198763");
        m.put("tradeNo", "1217752501201407033233368018");
        m.put("amount", new BigDecimal("5230.00"));
        m.put("type", "wechat");
        m.put("status", "1");
        m.put("orderTime", "20161110101010");
        m.put("payTime", "20161110101323");
        return m;
    }

    static LinkedHashMap<String, Object> singleAnswer(String orderNo) {
        LinkedHashMap<String, Object> m = success();
        m.putAll(order(orderNo));
        return m;
    }

    static LinkedHashMap<String, Object> brushcardAnswer(String orderNo, String payStatus) {
        LinkedHashMap<String, Object> m = success();
        m.put("orderNo", orderNo);
        m.put("flowNo", "20161101030000198763");
        m.put("payStatus", payStatus);
        m.put("orderAmount", new BigDecimal("88.00"));
        m.put("succAmount", new BigDecimal(payStatus.equals("1") ? "88.00" : "0.00"));
        return m;
    }

    static LinkedHashMap<String, Object> notExist() {
        LinkedHashMap<String, Object> m = success();
        m.put("resultCode", "FAIL");
        m.put("errCode", "ORDER_NOT_EXIST");
        m.put("errCodeDes", "订单不存在");
        return m;
    }

    /** {@code fields} plus its MD5 sign, as JSON. */
    static String signed(Map<String, Object> fields) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(fields);
        m.put("sign", md5(fields));
        return json(m);
    }

    static String fail(String errCode, String msg) {
        return json(Map.of("code", "FAIL", "msg", msg, "errCode", errCode));
    }

    /** Decodes a form body the simple way (the SDK only writes UTF-8, names and values escaped). */
    static Map<String, String> form(byte[] body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String item : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = item.indexOf('=');
            m.put(URLDecoder.decode(item.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(item.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** One request seen by {@link FakeTransport}. */
    record Request(String url, Map<String, String> params) {
    }

    /** Answers from a script (a function of the request), recording every request. */
    static final class FakeTransport implements Transport {
        final List<Request> requests = new ArrayList<>();
        private final Deque<Function<Request, Object>> script = new ArrayDeque<>();
        private Function<Request, Object> always;

        /** Next answer: a String body (HTTP 200), an Answer, or an IOException to throw. */
        FakeTransport then(Object answer) {
            script.add(r -> answer);
            return this;
        }

        FakeTransport then(Function<Request, Object> answer) {
            script.add(answer);
            return this;
        }

        FakeTransport always(Function<Request, Object> answer) {
            always = answer;
            return this;
        }

        @Override
        public Answer post(String url, byte[] formBody, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
            Request r = new Request(url, form(formBody));
            requests.add(r);
            Function<Request, Object> next = script.isEmpty() ? always : script.poll();
            if (next == null) {
                throw new AssertionError("unexpected request " + r);
            }
            Object a = next.apply(r);
            if (a instanceof IOException e) {
                throw e;
            }
            if (a instanceof Answer ans) {
                return bound ? new Answer(ans.status, bind(ans.body, r.params())) : ans;
            }
            byte[] body = a.toString().getBytes(StandardCharsets.UTF_8);
            return new Answer(200, bound ? bind(body, r.params()) : body);
        }

        private boolean bound = true;

        /** Answers exactly as scripted: no {@code reqNoise} added (for the tests of the binding itself). */
        FakeTransport unbound() {
            bound = false;
            return this;
        }
    }

    /**
     * A scripted answer as the server binds it to the request (PROTOCOL.md 4.4), so that the scripts
     * need not know the request's random noise: a verified success answer without {@code reqNoise}
     * gets the request's noise (and, when not found, its {@code orderNo}) and is signed again, with
     * the rest of its text unchanged. An answer that does not verify (tampered) is left as it is.
     */
    static byte[] bind(byte[] body, Map<String, String> request) {
        Map<String, String> fields;
        try {
            fields = new LinkedHashMap<>(new JsonAnswer().flatObject(body));
        } catch (JsonAnswer.MalformedException e) {
            return body;
        }
        String sign = fields.get("sign");
        if (!"SUCCESS".equals(fields.get("code")) || fields.containsKey("reqNoise") || sign == null) {
            return body;
        }
        String digest = null;
        for (String d : List.of("MD5", "SHA-1", "SHA-256")) {
            if (sign.equalsIgnoreCase(sign(fields, KEY, d))) {
                digest = d;
            }
        }
        if (digest == null) {
            return body;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String signed = "\"sign\":\"" + sign + "\"";
        if (!text.contains(signed)) {
            return body;
        }
        StringBuilder added = new StringBuilder();
        if ("ORDER_NOT_EXIST".equals(fields.get("errCode")) && !fields.containsKey("orderNo") && request.containsKey("orderNo")) {
            fields.put("orderNo", request.get("orderNo"));
            added.append("\"orderNo\":").append(quote(request.get("orderNo"))).append(',');
        }
        fields.put("reqNoise", request.get("noise"));
        added.append("\"reqNoise\":").append(quote(request.get("noise"))).append(',');
        String again = sign(fields, KEY, digest);
        return text.replace(signed, added + "\"sign\":\"" + again + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** A clock that only moves when slept on. */
    static final class FakeTicker implements Ticker {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            sleeps.add(Duration.ofNanos(nanos));
            now += nanos;
        }

        Duration total() {
            return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        }
    }

    static LeopardClient.Builder client(FakeTransport transport, Ticker ticker) {
        return LeopardClient.builder()
                .baseUrl("http://leopard.test/v2")
                .mid(MID)
                .key(KEY)
                .transport(transport)
                .ticker(ticker);
    }
}
