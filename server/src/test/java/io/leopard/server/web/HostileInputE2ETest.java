package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY_DISABLED;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;

import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of hostile requests against a live server, each answer held to PROTOCOL.md 4.1: a
 * documented (HTTP status, errCode) pair, or a signed SUCCESS that verifies independently; JSON,
 * never a 500, never a stack trace or a key, and never another merchant's order. Reproduce a
 * failure with {@code -Dleopard.fuzz.seed=<seed printed in the failure>}.
 */
class HostileInputE2ETest {
    private static final long SEED = Long.getLong("leopard.fuzz.seed", 20251125L);
    private static final int CASES = Integer.getInteger("leopard.fuzz.cases", 2500);
    private static final String PREFIX = "/v2";
    /** The query endpoints and the diagnosis, which parses the same bodies (every demo merchant has debug on). */
    private static final String[] ENDPOINTS = {"/query/single", "/query/multi", "/query/brushcard", "/query/diagnose"};
    private static final Map<String, Integer> DOCUMENTED = Map.ofEntries(
            Map.entry("PARAM_ERROR", 200), Map.entry("SIGN_TYPE_UNSUPPORTED", 200), Map.entry("MERCHANT_NOT_EXIST", 200),
            Map.entry("MERCHANT_DISABLED", 200), Map.entry("SIGN_ERROR", 200), Map.entry("IP_FORBIDDEN", 200),
            Map.entry("FREQUENCY_LIMITED", 200), Map.entry("SYSTEM_ERROR", 200), Map.entry("BAD_REQUEST", 400),
            Map.entry("NOT_FOUND", 404), Map.entry("METHOD_NOT_ALLOWED", 405), Map.entry("BODY_TOO_LARGE", 413),
            Map.entry("MEDIA_TYPE_UNSUPPORTED", 415));
    private static final Map<String, String> KEYS = Map.of(MID, KEY, MID2, KEY2, MID_DISABLED, KEY_DISABLED);
    private static final String[] SIGN_TYPES = {"MD5", "SHA1", "SHA256", "HMAC-SHA256", "md5", "Hmac-Sha256", ""};

    private static LiveLeopard demo;
    /** flowNo and orderNo of every fixture order, by merchant. */
    private static final Map<String, Set<String>> FLOW_NOS = new HashMap<>();
    private static final Map<String, List<String>> ORDER_NOS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        demo = LiveLeopard.start(Map.of("path-prefix", PREFIX, "rate.per-second", "1000000", "rate.burst", "1000000",
                "rate.address-per-second", "1000000", "rate.address-burst", "1000000"));
        try (InputStream in = DemoFixture.class.getResourceAsStream(DemoFixture.ORDERS_RESOURCE)) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().skip(1).toList();
            for (String line : lines) {
                String[] f = line.split(",", -1);
                FLOW_NOS.computeIfAbsent(f[0], k -> new java.util.HashSet<>()).add(f[2]);
                ORDER_NOS.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
            }
        }
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    /** One generated request and what may come back. */
    record Case(String what, String method, String path, String contentType, byte[] body, boolean mayPass, String raw) {
    }

    @Test
    void everyAnswerIsDocumented() throws Exception {
        Random r = new Random(SEED);
        Map<String, Integer> seen = new TreeMap<>();
        long started = System.nanoTime();
        for (int i = 0; i < CASES; i++) {
            Case c = generate(r);
            String where = "seed=" + SEED + " case=" + i + " (" + c.what() + ")";
            try {
                if (c.raw() != null) {
                    for (String outcome : checkRaw(c, where)) {
                        seen.merge(outcome, 1, Integer::sum);
                    }
                } else {
                    HttpResponse<byte[]> res;
                    try {
                        res = send(c);
                    } catch (java.io.IOException e) {
                        // Known issue (reported): the server answers 413 and closes while the client is still
                        // sending the oversized body; the unread bytes make the close a TCP reset, and the
                        // client may lose the answer. Tolerated for oversized bodies only, and counted.
                        if (c.body() != null && c.body().length > 16 * 1024) {
                            seen.merge("RESET_ON_OVERSIZED_BODY", 1, Integer::sum);
                            continue;
                        }
                        throw e;
                    }
                    seen.merge(check(c, res, where), 1, Integer::sum);
                }
            } catch (AssertionError e) {
                throw e;
            } catch (Exception e) {
                throw new AssertionError(where + ": " + e, e);
            }
        }
        System.out.printf("hostile input: %d cases in %d ms, seed %d, outcomes %s%n", CASES,
                (System.nanoTime() - started) / 1_000_000, SEED, seen);
        // the generators reach deep: signed answers and every kind of failure come back
        for (String expected : List.of("SUCCESS", "ORDER_NOT_EXIST", "PARAM_ERROR", "SIGN_ERROR", "SIGN_TYPE_UNSUPPORTED",
                "MERCHANT_NOT_EXIST", "MERCHANT_DISABLED", "NOT_FOUND", "METHOD_NOT_ALLOWED", "BODY_TOO_LARGE",
                "MEDIA_TYPE_UNSUPPORTED", "BAD_REQUEST", "DIAGNOSIS")) {
            if (!seen.containsKey(expected)) {
                throw new AssertionError("seed=" + SEED + ": no " + expected + " among " + seen);
            }
        }
    }

    // ---------------------------------------------------------------- checks

    private static HttpResponse<byte[]> send(Case c) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hostPart() + c.path())).timeout(Duration.ofSeconds(10))
                .method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        return demo.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String hostPart() {
        return "http://127.0.0.1:" + demo.server.port();
    }

    /** Checks one answer; returns its outcome (errCode, or SUCCESS / ORDER_NOT_EXIST). */
    private static String check(Case c, HttpResponse<byte[]> res, String where) throws Exception {
        String type = res.headers().firstValue("Content-Type").orElse("");
        return checkAnswer(c, res.statusCode(), type, res.body(), where);
    }

    static String checkAnswer(Case c, int status, String contentType, byte[] bytes, String where) throws Exception {
        String body = new String(bytes, StandardCharsets.UTF_8);
        String ctx = where + " -> HTTP " + status + " " + body;
        require(status != 500, ctx, "HTTP 500");
        require(contentType.equalsIgnoreCase("application/json; charset=UTF-8"), ctx, "Content-Type " + contentType);
        for (String leak : List.of("Exception", "at io.", "java.", "\tat ", KEY, KEY2, KEY_DISABLED)) {
            require(!body.contains(leak), ctx, "body holds " + leak);
        }
        Map<String, String> f;
        try {
            f = IndependentVerifier.fields(body);
        } catch (Exception | AssertionError e) {
            throw new AssertionError(ctx + ": not a flat JSON object: " + e.getMessage());
        }
        String code = f.get("code");
        if ("FAIL".equals(code)) {
            require(f.keySet().equals(Set.of("code", "msg", "errCode", "errCodeDes")), ctx, "FAIL fields " + f.keySet());
            String errCode = f.get("errCode");
            Integer documented = DOCUMENTED.get(errCode);
            require(documented != null, ctx, "undocumented errCode");
            require(documented == status, ctx, errCode + " with HTTP " + status);
            require(!errCode.equals("SYSTEM_ERROR"), ctx, "SYSTEM_ERROR while the database is up: an unexpected exception");
            return errCode;
        }
        require("SUCCESS".equals(code), ctx, "code is neither FAIL nor SUCCESS");
        require(status == 200, ctx, "SUCCESS with HTTP " + status);
        if (c.path() != null && c.path().contains("/query/diagnose")) {
            // a diagnosis answers whatever the sign: signed for a debug merchant, and naming a recipe
            String mid = f.get("mid");
            String key = KEYS.get(mid);
            require(key != null && !mid.equals(MID_DISABLED), ctx, "diagnosis for merchant " + mid);
            require(IndependentVerifier.verify(f, key, f.getOrDefault("signType", "MD5")), ctx, "diagnosis signature does not verify");
            require(f.containsKey("recipe") && f.containsKey("stringA") && !f.containsKey("flowNo"), ctx, "diagnosis fields " + f.keySet());
            return "DIAGNOSIS";
        }
        require(c.mayPass(), ctx, "SUCCESS for a request that was not validly signed");
        String mid = f.get("mid");
        String key = KEYS.get(mid);
        require(key != null && !mid.equals(MID_DISABLED), ctx, "SUCCESS for merchant " + mid);
        require(IndependentVerifier.verify(f, key, f.getOrDefault("signType", "MD5")), ctx, "signature does not verify");
        for (Map.Entry<String, Set<String>> e : FLOW_NOS.entrySet()) {
            if (!e.getKey().equals(mid)) {
                for (String flowNo : e.getValue()) {
                    require(!body.contains(flowNo), ctx, "merchant " + mid + " sees flowNo " + flowNo + " of " + e.getKey());
                }
            }
        }
        String resultCode = f.get("resultCode");
        if ("SUCCESS".equals(resultCode)) {
            return "SUCCESS";
        }
        require("FAIL".equals(resultCode) && "ORDER_NOT_EXIST".equals(f.get("errCode")), ctx, "resultCode " + resultCode);
        return "ORDER_NOT_EXIST";
    }

    private static void require(boolean ok, String ctx, String problem) {
        if (!ok) {
            throw new AssertionError(problem + "\n  at " + ctx);
        }
    }

    /** Sends raw bytes, reads every answer until the server closes (or a short timeout), checks each. */
    private static List<String> checkRaw(Case c, String where) throws Exception {
        byte[] received;
        try (Socket s = new Socket("127.0.0.1", demo.server.port())) {
            s.setSoTimeout(400);
            OutputStream out = s.getOutputStream();
            out.write(c.raw().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (!c.what().contains("keep-open")) {
                s.shutdownOutput();
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    all.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // a server still waiting for the promised bytes: whatever it said so far must be right
            } catch (java.net.SocketException e) {
                // reset after the answer: fine, the answer is checked below
            }
            received = all.toByteArray();
        }
        List<String> outcomes = new ArrayList<>();
        int at = 0;
        String text = new String(received, StandardCharsets.ISO_8859_1);
        while (at < text.length()) {
            String ctx = where + " raw answer " + text.substring(at, Math.min(text.length(), at + 300));
            require(text.startsWith("HTTP/1.1 ", at), ctx, "not an HTTP/1.1 answer");
            int headEnd = text.indexOf("\r\n\r\n", at);
            require(headEnd > 0, ctx, "no end of headers");
            String[] head = text.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(head[0].substring(9, 12));
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                headers.put(head[i].substring(0, colon).trim().toLowerCase(), head[i].substring(colon + 1).trim());
            }
            String length = headers.get("content-length");
            require(length != null, ctx, "no Content-Length");
            int bodyStart = headEnd + 4;
            int bodyEnd = bodyStart + Integer.parseInt(length);
            require(bodyEnd <= received.length, ctx, "body cut short");
            byte[] body = java.util.Arrays.copyOfRange(received, bodyStart, bodyEnd);
            outcomes.add(checkAnswer(c, status, headers.getOrDefault("content-type", ""), body, where + " raw"));
            at = bodyEnd;
        }
        return outcomes;
    }

    // ---------------------------------------------------------------- generators

    private static Case generate(Random r) {
        int kind = r.nextInt(100);
        if (kind < 22) {
            return signed(r);
        } else if (kind < 40) {
            return signedThenBroken(r);
        } else if (kind < 50) {
            return crossMerchant(r);
        } else if (kind < 60) {
            return jsonCase(r);
        } else if (kind < 70) {
            return garbage(r);
        } else if (kind < 78) {
            return wrongPathOrMethod(r);
        } else if (kind < 84) {
            return batch(r);
        } else {
            return raw(r);
        }
    }

    private static String endpoint(Random r) {
        return ENDPOINTS[r.nextInt(ENDPOINTS.length)];
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static String orderNo(Random r, String mid) {
        int k = r.nextInt(4);
        if (k == 0) {
            return "Z" + r.nextInt(1_000_000);
        }
        String owner = k == 1 ? pick(r, MID, MID2) : mid;
        List<String> own = ORDER_NOS.getOrDefault(owner, List.of("NONE1"));
        return own.get(r.nextInt(own.size()));
    }

    private static Map<String, String> params(Random r, String mid, String orderNo) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "n" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
        String st = SIGN_TYPES[r.nextInt(SIGN_TYPES.length)];
        if (!st.isEmpty()) {
            p.put("signType", st);
        }
        if (r.nextInt(4) == 0) {
            p.put(pick(r, "remark", "x.y", "a[0]", "attach_1"), pick(r, "杯具", "a&b=c", "100% +1", "😀 emoji", "Ünïcödé", " space "));
        }
        return p;
    }

    private static String sign(Map<String, String> p, String key) {
        try {
            return IndependentVerifier.sign(p, key, p.getOrDefault("signType", "").isEmpty() ? "MD5" : p.get("signType"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> p, Charset cs) {
        return p.entrySet().stream().map(e -> java.net.URLEncoder.encode(e.getKey(), cs) + "=" + java.net.URLEncoder.encode(e.getValue(), cs))
                .collect(Collectors.joining("&"));
    }

    static String json(Map<String, String> p) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : p.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
        }
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                sb.append('\\').append(ch);
            } else if (ch < 0x20) {
                sb.append(String.format("\\u%04x", (int) ch));
            } else {
                sb.append(ch);
            }
        }
        return sb.append('"').toString();
    }

    /** A body in one of the accepted encodings; form charsets other than UTF-8 are declared. */
    private static Case post(Random r, String what, String endpoint, Map<String, String> p, boolean mayPass) {
        int enc = r.nextInt(6);
        return switch (enc) {
            case 0 -> new Case(what + " json", "POST", PREFIX + endpoint, pick(r, "application/json", "application/json; charset=UTF-8", "Application/JSON;charset=\"utf-8\""),
                    json(p).getBytes(StandardCharsets.UTF_8), mayPass, null);
            case 1 -> new Case(what + " gb18030 form", "POST", PREFIX + endpoint, "application/x-www-form-urlencoded; charset=GB18030",
                    form(p, Charset.forName("GB18030")).getBytes(StandardCharsets.US_ASCII), mayPass, null);
            case 2 -> new Case(what + " no content type", "POST", PREFIX + endpoint, null,
                    form(p, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII), mayPass, null);
            default -> new Case(what + " form", "POST", PREFIX + endpoint + (r.nextInt(10) == 0 ? "?mid=" + MID2 : ""),
                    "application/x-www-form-urlencoded", form(p, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII), mayPass, null);
        };
    }

    private static Case signed(Random r) {
        String mid = pick(r, MID, MID2, MID_DISABLED);
        Map<String, String> p = params(r, mid, orderNo(r, mid));
        p.put("sign", sign(p, KEYS.get(mid)));
        if (r.nextBoolean()) {
            p.put("sign", p.get("sign").toLowerCase());
        }
        return post(r, "signed " + mid, endpoint(r), p, true);
    }

    private static Case signedThenBroken(Random r) {
        String mid = pick(r, MID, MID2, MID_DISABLED, "999999999999999", "100000510983459");
        String key = KEYS.getOrDefault(mid, KEY);
        Map<String, String> p = params(r, mid, orderNo(r, mid));
        String good = sign(p, key);
        String what;
        switch (r.nextInt(12)) {
            case 0 -> { p.put("sign", good.substring(1)); what = "short sign"; }
            case 1 -> { p.put("sign", good + "0"); what = "long sign"; }
            case 2 -> { p.put("sign", good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0")); what = "one digit off"; }
            case 3 -> { p.put("sign", "Z".repeat(good.length())); what = "non-hex sign"; }
            case 4 -> { p.put("sign", sign(p, key.equals(KEY) ? KEY2 : KEY)); what = "other merchant's key"; }
            case 5 -> { p.put("sign", good); p.put("orderNo", p.get("orderNo") + "9"); what = "value changed after signing"; }
            case 6 -> { p.put("sign", good); p.put("extra", "1"); what = "field added after signing"; }
            case 7 -> { p.put("sign", good); p.remove("noise"); p.put("noise", "other"); what = "noise swapped"; }
            case 8 -> { p.put("sign", "A".repeat(r.nextInt(200))); what = "sign of random length"; }
            case 9 -> { p.put("signType", pick(r, "RSA", "SHA512", "ſha1", "HMAC_SHA256", "MD5 ")); p.put("sign", good); what = "bad signType"; }
            case 10 -> { p.put("sign", "０".repeat(good.length())); what = "fullwidth digits sign"; }
            default -> { p.put("sign", sign(p, "key=" + key)); what = "key= prefix"; }
        }
        if (r.nextInt(8) == 0) {
            p.put("noise", "bad\u0001noise");
            what += " + control char";
        }
        return post(r, what, endpoint(r), p, false);
    }

    /** A merchant asks, with its own valid signature, for order numbers that belong to the other. */
    private static Case crossMerchant(Random r) {
        String mid = r.nextBoolean() ? MID2 : MID;
        String other = mid.equals(MID) ? MID2 : MID;
        List<String> theirs = ORDER_NOS.get(other);
        String endpoint = endpoint(r);
        String orderNo = endpoint.equals("/query/multi")
                ? String.join(",", theirs) : theirs.get(r.nextInt(theirs.size()));
        Map<String, String> p = params(r, mid, orderNo);
        p.put("sign", sign(p, KEYS.get(mid)));
        return post(r, "cross-merchant " + mid, endpoint, p, true);
    }

    private static Case jsonCase(Random r) {
        String mid = pick(r, MID, MID2);
        Map<String, String> p = params(r, mid, orderNo(r, mid));
        String sign = sign(p, KEYS.get(mid));
        String base = json(p);
        String body;
        String what;
        switch (r.nextInt(12)) {
            case 0 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"sign\":\"" + sign + "\"}"); what = "duplicate key"; }
            case 1 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"n\":{\"a\":{\"b\":[1]}}}"); what = "nested"; }
            case 2 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"n\":" + "[".repeat(500) + "]".repeat(500) + "}"); what = "deep array"; }
            case 3 -> { body = base.substring(0, r.nextInt(base.length())); what = "truncated"; }
            case 4 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"x\":\"\\u0000\"}"); what = "escaped NUL"; }
            case 5 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"x\":true}"); what = "boolean"; }
            case 6 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"mid\":null}"); what = "null duplicate"; }
            case 7 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\"}") + "{}"; what = "trailing object"; }
            case 8 -> { body = "{\"mid\":" + "9".repeat(r.nextInt(2) == 0 ? 15 : 100) + "}"; what = "number mid"; }
            case 9 -> { body = base.replace("}", ",\"sign\":\"" + sign + "\",\"x\":\"\\ud800\"}"); what = "lone surrogate"; }
            case 10 -> { body = pick(r, "[]", "null", "\"s\"", "1", "{", "}", "{\"a\"}", "{\"a\":}", "{,}", "{'a':'b'}", "{\"a\":NaN}", "\uFEFF{}"); what = "not an object"; }
            default -> { body = base.replace("\"mid\"", "\"mid\u0001\""); what = "control char in raw JSON"; }
        }
        return new Case("json " + what, "POST", PREFIX + endpoint(r), "application/json", body.getBytes(StandardCharsets.UTF_8), false, null);
    }

    private static Case garbage(Random r) {
        String endpoint = PREFIX + endpoint(r);
        byte[] body;
        String what;
        String type = pick(r, "application/x-www-form-urlencoded", "application/json", null,
                "application/x-www-form-urlencoded; charset=" + pick(r, "ISO-8859-1", "GBK", "UTF-16", "UTF-32", "Shift_JIS", "x-IBM930", "klingon", "", "\"\""),
                "text/plain", "multipart/form-data; boundary=x", ";", ";;charset=utf-8", "application/json; charset=UTF-16BE",
                "application/x-www-form-urlencoded;charset", "*/*", "application/*", "application/jsonx", "x".repeat(3000));
        switch (r.nextInt(8)) {
            case 0 -> { body = new byte[r.nextInt(600)]; r.nextBytes(body); what = "random bytes"; }
            case 1 -> { body = new byte[16 * 1024 + 1 + r.nextInt(40_000)]; r.nextBytes(body); what = "oversized"; }
            case 2 -> { body = ("mid=" + MID + "&orderNo=%" + pick(r, "G1", "", "4", "zz") + "&noise=n&sign=AB").getBytes(StandardCharsets.US_ASCII); what = "broken escape"; }
            case 3 -> { body = ("mid=" + MID + "&orderNo=A1&noise=n&sign=AB&remark=%FF%FE%C0%80%ED%A0%80").getBytes(StandardCharsets.US_ASCII); what = "non-UTF-8 escapes"; }
            case 4 -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 70 + r.nextInt(50); i++) {
                    sb.append("p").append(i).append("=").append(i).append('&');
                }
                body = sb.toString().getBytes(StandardCharsets.US_ASCII);
                what = "too many params";
            }
            case 5 -> {
                byte[] raw = new byte[200];
                r.nextBytes(raw);
                String head = "mid=" + MID + "&orderNo=A1&noise=n1&sign=0123456789ABCDEF0123456789ABCDEF&remark=";
                body = concat(head.getBytes(StandardCharsets.US_ASCII), raw);
                what = "raw non-UTF-8 bytes";
            }
            case 6 -> { body = ("mid=" + MID + "&mid=" + MID + "&orderNo=A1&noise=n1&sign=AB").getBytes(StandardCharsets.US_ASCII); what = "repeated name"; }
            default -> {
                StringBuilder sb = new StringBuilder();
                String alphabet = "=&%+ab1[]._-\u00e9\u0000\u001f\u007f;";
                for (int i = 0; i < r.nextInt(300); i++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                body = sb.toString().getBytes(StandardCharsets.UTF_8);
                what = "garbled form";
            }
        }
        return new Case("garbage " + what + " as " + type, "POST", endpoint, type, body, false, null);
    }

    private static Case wrongPathOrMethod(Random r) {
        String path = pick(r, PREFIX + "/query/single/", PREFIX + "/query/SINGLE", PREFIX + "/query//single", PREFIX + "/query",
                PREFIX + "/", PREFIX, "/query/single", PREFIX + "x/query/single", PREFIX + "/query/single%00", PREFIX + "/query/%73ingle",
                PREFIX + "/query/single;jsessionid=1", PREFIX + "/query/single/..", PREFIX + "/query/" + "a".repeat(3000), "/favicon.ico",
                PREFIX + "/query/single%2F", PREFIX + "/QUERY/single", PREFIX + endpoint(r));
        String method = pick(r, "POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO", "post", "TRACE");
        String mid = pick(r, MID, MID2);
        Map<String, String> p = params(r, mid, orderNo(r, mid));
        p.put("sign", sign(p, KEYS.get(mid)));
        byte[] body = form(p, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
        // Helidon reads the method name case-insensitively ("post" is POST); RFC 9110 says it is case-sensitive
        boolean valid = method.equalsIgnoreCase("POST") && List.of(ENDPOINTS).stream().anyMatch(e -> path.equals(PREFIX + e));
        return new Case("path/method " + method + " " + path.substring(0, Math.min(path.length(), 60)), method, path,
                "application/x-www-form-urlencoded", method.equals("GET") && r.nextBoolean() ? null : body, valid, null);
    }

    private static Case batch(Random r) {
        String mid = pick(r, MID, MID2);
        List<String> items = new ArrayList<>();
        String what;
        switch (r.nextInt(5)) {
            case 0 -> { for (int i = 0; i < 50; i++) items.add("B" + i); what = "50 distinct"; }
            case 1 -> { for (int i = 0; i < 51 + r.nextInt(200); i++) items.add("B" + i); what = "too many distinct"; }
            case 2 -> { for (int i = 0; i < 600; i++) items.add(ORDER_NOS.get(mid).get(i % ORDER_NOS.get(mid).size())); what = "600 repeats"; }
            case 3 -> { items.addAll(ORDER_NOS.get(MID)); items.addAll(ORDER_NOS.get(MID2)); what = "both merchants' orders"; }
            default -> { items.add("A1"); items.add(pick(r, "", " A2", "A 3", "Ä4", "A".repeat(33))); what = "bad item"; }
        }
        Map<String, String> p = params(r, mid, String.join(",", items));
        p.put("sign", sign(p, KEYS.get(mid)));
        return post(r, "batch " + what + " " + mid, "/query/multi", p, true);
    }

    private static Case raw(Random r) {
        String mid = pick(r, MID, MID2);
        Map<String, String> p = params(r, mid, orderNo(r, mid));
        p.put("sign", sign(p, KEYS.get(mid)));
        String body = form(p, StandardCharsets.UTF_8);
        String target = PREFIX + endpoint(r);
        String what;
        String req;
        switch (r.nextInt(16)) {
            case 0 -> { req = "GARBAGE\r\n\r\n"; what = "garbage request line"; }
            case 1 -> { req = "POST " + target + " HTTP/9.9\r\nHost: x\r\n\r\n"; what = "HTTP/9.9"; }
            case 2 -> { req = "POST " + target + "\r\n\r\n"; what = "no version"; }
            case 3 -> { req = "POST /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"; what = "huge request line"; }
            case 4 -> { req = "POST " + target + " HTTP/1.1\r\nHost x\r\n\r\n"; what = "header without colon"; }
            case 5 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nBad Name: 1\r\nContent-Length: 0\r\n\r\n"; what = "space in header name"; }
            case 6 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(70_000) + "\r\n\r\n"; what = "huge header"; }
            case 7 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcdefg"; what = "two Content-Lengths"; }
            case 8 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n"; what = "negative Content-Length"; }
            case 9 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + pick(r, "ZZ\r\nxx\r\n0\r\n\r\n",
                    "5\r\nab", "FFFFFFFFFFFFFFFFFF\r\nab\r\n", "3;ext=\"\r\nabc\r\n0\r\n\r\n", "3\r\nabcdef\r\n0\r\n\r\n", "-1\r\n\r\n"); what = "bad chunking"; }
            case 10 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + (body.length() + 50) + "\r\n\r\n" + body; what = "Content-Length longer than body"; }
            case 11 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + (body.length() + 50) + "\r\n\r\n" + body; what = "Content-Length longer than body keep-open"; }
            case 12 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                    + (body.length() - 3) + "\r\n\r\n" + body; what = "Content-Length shorter than body"; }
            case 13 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n"; what = "valid chunked"; }
            case 14 -> { req = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + pick(r, "\u00ff\u00fe", "application/json\u0001", ";", "application/x-www-form-urlencoded;charset=\u00e9")
                    + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body; what = "odd Content-Type bytes"; }
            default -> { req = "POST " + target + "\u00e9\u00ff HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"; what = "non-ASCII in path"; }
        }
        boolean mayPass = what.equals("valid chunked") || what.equals("Content-Length shorter than body");
        return new Case("raw " + what, "POST", target, null, null, mayPass, req);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
