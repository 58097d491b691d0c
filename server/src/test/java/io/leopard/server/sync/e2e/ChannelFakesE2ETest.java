package io.leopard.server.sync.e2e;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.sync.e2e.IndependentWechat.Answer;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real server against WeChat Pay and Alipay fakes written from the channels' published
 * documentation, independently of Leopard's adapters ({@link IndependentWechat},
 * {@link IndependentAlipay}): orders are written pending through the internal API, the merchant
 * polls, the fakes count calls, change their answers, fail, hang and lie.
 */
class ChannelFakesE2ETest {
    private static final String TOKEN = "e2e-fakes-token-0123456789abcdef";
    private static final AtomicLong SEQ = new AtomicLong(System.currentTimeMillis() % 1_000_000_000L);

    // ---- 1. WeChat: pending, then paid -------------------------------------------------------

    @Test
    @Timeout(60)
    void wechatPendingThenPaidAsTheChannelSays() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-WX-PAID", flow, "18.80", "wechat", "brushcard");

            Map<String, String> first = brushcard(node, "E2E-WX-PAID");
            assertThat(first).containsEntry("code", "SUCCESS").containsEntry("payStatus", "5").containsKey("confirmTime")
                    .doesNotContainKey("tradeNo");
            assertThat(wx.count("pay/orderquery", flow)).isEqualTo(1);
            IndependentWechat.Received asked = wx.received("pay/orderquery", flow).get(0);
            assertThat(asked.signOk()).as("the request's sign, as WeChat Pay checks it: %s", asked.fields()).isTrue();
            assertThat(asked.fields()).containsEntry("appid", IndependentWechat.APPID).containsEntry("mch_id", IndependentWechat.MCH_ID)
                    .containsEntry("out_trade_no", flow).containsKey("nonce_str");

            wx.on("pay/orderquery", flow, req -> Answer.ok(IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1880, "4200002026120312345678901234", "20261203161530"), req)));
            Thread.sleep(400); // past sync.min-interval
            Map<String, String> paid = pollBrushcardWhilePending(node, "E2E-WX-PAID", 3_000);
            assertThat(paid).containsEntry("payStatus", "1").containsEntry("tradeNo", "4200002026120312345678901234")
                    .containsEntry("payTime", "20261203161530").containsEntry("succAmount", "18.80").containsKey("confirmTime");
            assertThat(wx.count("pay/orderquery", flow)).isEqualTo(2);

            Map<String, String> single = single(node, "E2E-WX-PAID");
            assertThat(single).containsEntry("status", "1").containsEntry("payTime", "20261203161530");
            assertThat(wx.count("pay/orderquery", flow)).as("a paid order is not asked about again").isEqualTo(2);
            assertThat(metric(node, "wechat", "query", "success", "query")).isEqualTo(1.0);
            assertThat(metric(node, "wechat", "query", "pending", "query")).isEqualTo(1.0);
        }
    }

    @Test
    @Timeout(60)
    void wechatWithHmacSha256SignsAndVerifiesWithIt() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms"))) {
            setWechat(node, ",\"signType\":\"HMAC-SHA256\"");
            String flow = flowNo();
            order(node, "E2E-WX-HMAC", flow, "0.01", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> Answer.ok(IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1, "4200002026120300000000000001", "20261203000001"), req)));
            Map<String, String> paid = brushcard(node, "E2E-WX-HMAC");
            IndependentWechat.Received asked = wx.received("pay/orderquery", flow).get(0);
            assertThat(asked.fields()).containsEntry("sign_type", "HMAC-SHA256");
            assertThat(asked.signOk()).as("HMAC-SHA256 request sign: %s", asked.fields()).isTrue();
            assertThat(paid).containsEntry("payStatus", "1").containsEntry("payTime", "20261203000001").containsEntry("succAmount", "0.01");
        }
    }

    @Test
    @Timeout(60)
    void thirtyTwoConcurrentPollsMakeOneWechatCall() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "5s"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-WX-32", flow, "3.00", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> new Answer(200, IndependentWechat.signedXml(IndependentWechat.notPay(req), req), 300));
            ExecutorService pool = Executors.newFixedThreadPool(32);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Map<String, String>>> polls = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    polls.add(pool.submit(() -> {
                        go.await();
                        return brushcard(node, "E2E-WX-32");
                    }));
                }
                go.countDown();
                for (Future<Map<String, String>> p : polls) {
                    assertThat(p.get(20, java.util.concurrent.TimeUnit.SECONDS)).containsEntry("code", "SUCCESS").containsEntry("payStatus", "5");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(wx.count("pay/orderquery", flow)).as("channel calls for 32 concurrent polls within one interval").isEqualTo(1);
        }
    }

    // ---- 2. WeChat lies -------------------------------------------------------------------------

    @Test
    @Timeout(120)
    void wechatLiesChangeNothingAndNeverFailTheQuery() throws Exception {
        Path secret = Files.createTempFile("leopard-e2e-xxe-", ".txt");
        Files.writeString(secret, "SUCCESS");
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms",
                     "sync.timeout", "500ms"))) {
            setWechat(node, "");
            String txn = "4200002026120399999999999999";
            Function<Map<String, String>, Map<String, String>> paid = req -> IndependentWechat.paid(req, 1880, txn, "20261203161530");

            Map<String, Lie> lies = new LinkedHashMap<>();
            lies.put("wrongsign", new Lie("bad_signature", req -> Answer.ok(
                    IndependentWechat.signedXml(paid.apply(req), "MD5", "00000000000000000000000000000000"))));
            lies.put("nosign", new Lie("bad_signature", req -> Answer.ok(IndependentWechat.xml(paid.apply(req)))));
            lies.put("feeoff", new Lie("mismatch", req -> Answer.ok(IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1881, txn, "20261203161530"), req))));
            lies.put("otherorder", new Lie("mismatch", req -> {
                Map<String, String> m = paid.apply(req);
                m.put("out_trade_no", "SOMEONEELSE0000000001");
                return Answer.ok(IndependentWechat.signedXml(m, req));
            }));
            lies.put("malformed", new Lie("malformed", req -> Answer.ok(
                    IndependentWechat.signedXml(paid.apply(req), req).substring(0, 180))));
            lies.put("xxe", new Lie("malformed", req -> {
                String signed = IndependentWechat.signedXml(paid.apply(req), req);
                String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE xml [\n"
                        + "  <!ENTITY % remote SYSTEM \"http://127.0.0.1:" + wx.port() + "/xxe.dtd\"> %remote;\n"
                        + "  <!ENTITY state SYSTEM \"" + secret.toUri() + "\">\n]>\n"
                        + signed.replace("<trade_state><![CDATA[SUCCESS]]></trade_state>", "<trade_state>&state;</trade_state>");
                return Answer.ok(body);
            }));
            lies.put("huge", new Lie("malformed", req -> {
                Map<String, String> m = paid.apply(req);
                m.put("attach", "x".repeat(200 * 1024));
                return Answer.ok(IndependentWechat.signedXml(m, req));
            }));
            // NOTPAY, so that whether the call goes on after the query stops waiting or not, nothing changes
            lies.put("hang", new Lie("timeout", req -> new Answer(200, IndependentWechat.signedXml(IndependentWechat.notPay(req), req), 8_000)));
            lies.put("http500", new Lie("http_status", req -> new Answer(500, IndependentWechat.signedXml(paid.apply(req), req), 0)));

            List<String> failures = new ArrayList<>();
            Map<String, Double> expectedCounts = new HashMap<>();
            for (Map.Entry<String, Lie> e : lies.entrySet()) {
                String name = e.getKey();
                String orderNo = "E2E-LIE-" + name;
                String flow = flowNo();
                order(node, orderNo, flow, "18.80", "wechat", "brushcard");
                wx.on("pay/orderquery", flow, e.getValue().answer());
                double before = metric(node, "wechat", "query", e.getValue().outcome(), "query");
                long t0 = System.nanoTime();
                Map<String, String> answer = brushcard(node, orderNo);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                check(failures, name + ": answer " + answer, "SUCCESS".equals(answer.get("code")) && "5".equals(answer.get("payStatus"))
                        && !answer.containsKey("tradeNo") && !answer.containsKey("confirmTime"));
                check(failures, name + ": poll took " + ms + " ms, sync.timeout is 500 ms", ms < 2_000);
                check(failures, name + ": fake calls " + wx.count("pay/orderquery", flow), wx.count("pay/orderquery", flow) == 1);
                expectedCounts.merge(e.getValue().outcome(), 1.0, Double::sum);
                double after = awaitMetric(node, "wechat", "query", e.getValue().outcome(), "query", before + 1, name.equals("hang") ? 7_000 : 3_000);
                check(failures, name + ": leopard_sync_calls_total{outcome=" + e.getValue().outcome() + "} went " + before + " -> " + after,
                        after == before + 1);
                String stored = internal(node, "GET", "/internal/v1/orders/" + MID + "/" + orderNo, null).body();
                check(failures, name + ": stored " + stored, stored.contains("\"state\":\"INIT\""));
            }
            check(failures, "the XXE answer's external DTD was fetched " + wx.xxeFetches.get() + " times", wx.xxeFetches.get() == 0);
            // after the lies, an honest answer still gets through (the breaker did not open on 7 faults in 9 calls)
            String flow = flowNo();
            order(node, "E2E-LIE-honest", flow, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> Answer.ok(IndependentWechat.signedXml(paid.apply(req), req)));
            Map<String, String> honest = brushcard(node, "E2E-LIE-honest");
            check(failures, "honest after lies: " + honest, "1".equals(honest.get("payStatus")));
            assertThat(failures).isEmpty();
        }
    }

    private record Lie(String outcome, Function<Map<String, String>, Answer> answer) {
    }

    // ---- 3. Alipay ------------------------------------------------------------------------------

    @Test
    @Timeout(120)
    void alipayWaitThenSuccessAndItsLies() throws Exception {
        try (IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.alipay.gateway", ali.gateway(), "sync.min-interval", "300ms"))) {
            HttpResponse<String> set = internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            String q = "alipay.trade.query";
            List<String> failures = new ArrayList<>();

            // WAIT_BUYER_PAY, then TRADE_SUCCESS
            String flow = flowNo();
            order(node, "E2E-ALI-PAID", flow, "18.80", "alipay", "brushcard");
            ali.placed(flow, "18.80");
            Map<String, String> first = brushcard(node, "E2E-ALI-PAID");
            assertThat(first).containsEntry("payStatus", "5").containsKey("confirmTime").doesNotContainKey("tradeNo");
            assertThat(ali.count(q, flow)).isEqualTo(1);
            IndependentAlipay.Received asked = ali.received(q, flow).get(0);
            assertThat(asked.signOk()).as("the request's RSA2 sign over %s", IndependentAlipay.signContent(asked.params())).isTrue();
            assertThat(asked.params()).containsEntry("app_id", IndependentAlipay.APP_ID).containsEntry("sign_type", "RSA2")
                    .containsEntry("version", "1.0").containsKeys("timestamp", "charset", "biz_content");
            assertThat(asked.params().get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
            LocalDateTime stamp = LocalDateTime.parse(asked.params().get("timestamp"), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            LocalDateTime china = LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai"));
            assertThat(java.time.Duration.between(stamp, china).abs().toMinutes()).as("timestamp is China time").isLessThan(5);

            ali.on(q, flow, r -> IndependentAlipay.Answer.ok(ali.signed(q, success(flow, "18.80"))));
            Thread.sleep(400);
            Map<String, String> paid = pollBrushcardWhilePending(node, "E2E-ALI-PAID", 3_000);
            assertThat(paid).containsEntry("payStatus", "1").containsEntry("tradeNo", "2026120322001411111111111111")
                    .containsEntry("payTime", "20261203162005").containsEntry("succAmount", "18.80").containsKey("confirmTime");

            // ACQ.TRADE_NOT_EXIST: pending, and no confirmTime
            String nx = flowNo();
            order(node, "E2E-ALI-NX", nx, "2.00", "alipay", "brushcard");
            ali.on(q, nx, r -> IndependentAlipay.Answer.ok(ali.signed(q, "{\"code\":\"40004\",\"msg\":\"Business Failed\","
                    + "\"sub_code\":\"ACQ.TRADE_NOT_EXIST\",\"sub_msg\":\"交易不存在\",\"buyer_pay_amount\":\"0.00\","
                    + "\"invoice_amount\":\"0.00\",\"out_trade_no\":\"" + nx + "\",\"point_amount\":\"0.00\",\"receipt_amount\":\"0.00\"}")));
            Map<String, String> notExist = brushcard(node, "E2E-ALI-NX");
            check(failures, "TRADE_NOT_EXIST: " + notExist, "5".equals(notExist.get("payStatus")) && !notExist.containsKey("confirmTime"));
            check(failures, "TRADE_NOT_EXIST asked " + ali.count(q, nx), ali.count(q, nx) == 1);

            // signed by someone else
            String forged = flowNo();
            order(node, "E2E-ALI-FORGED", forged, "18.80", "alipay", "brushcard");
            ali.on(q, forged, r -> {
                String object = success(forged, "18.80");
                return IndependentAlipay.Answer.ok(IndependentAlipay.envelope(q, object, IndependentAlipay.sign(object, ali.forger.getPrivate())));
            });
            double badSign = metric(node, "alipay", "query", "bad_signature", "query");
            Map<String, String> f = brushcard(node, "E2E-ALI-FORGED");
            check(failures, "forged signature: " + f, "5".equals(f.get("payStatus")) && !f.containsKey("tradeNo"));

            // signed over a re-serialization of the object, not over the text sent
            String reser = flowNo();
            order(node, "E2E-ALI-RESER", reser, "18.80", "alipay", "brushcard");
            ali.on(q, reser, r -> {
                String compact = success(reser, "18.80");
                String spaced = compact.replace("\":\"", "\": \"").replace("\",\"", "\", \"").replace("{", "{ ").replace("}", " }");
                return IndependentAlipay.Answer.ok(IndependentAlipay.envelope(q, spaced, IndependentAlipay.sign(compact, ali.alipay.getPrivate())));
            });
            Map<String, String> rs = brushcard(node, "E2E-ALI-RESER");
            check(failures, "sign over re-serialized JSON: " + rs, "5".equals(rs.get("payStatus")) && !rs.containsKey("tradeNo"));
            double badSignAfter = awaitMetric(node, "alipay", "query", "bad_signature", "query", badSign + 2, 3_000);
            check(failures, "bad_signature counted " + (badSignAfter - badSign) + " times for 2 bad signatures", badSignAfter == badSign + 2);

            // total_amount off by a fen, properly signed
            String off = flowNo();
            order(node, "E2E-ALI-OFF", off, "18.80", "alipay", "brushcard");
            ali.on(q, off, r -> IndependentAlipay.Answer.ok(ali.signed(q, success(off, "18.81"))));
            Map<String, String> o = brushcard(node, "E2E-ALI-OFF");
            check(failures, "total_amount off: " + o, "5".equals(o.get("payStatus")) && !o.containsKey("tradeNo"));

            // signed over the raw text exactly as sent, with whitespace, escapes and Chinese: valid, applied
            String raw = flowNo();
            order(node, "E2E-ALI-RAW", raw, "6.60", "alipay", "brushcard");
            ali.on(q, raw, r -> {
                String object = "{\n  \"code\" : \"10000\",\n  \"msg\" : \"Success\",\n  \"buyer_logon_id\" : \"159****5620\",\n"
                        + "  \"buyer_user_name\" : \"\\u674e\\u56db\",\n  \"fund_bill_list\" : [ { \"amount\" : \"6.60\", \"fund_channel\" : \"ALIPAYACCOUNT\" } ],\n"
                        + "  \"out_trade_no\" : \"" + raw + "\",\n  \"send_pay_date\" : \"2026-12-03 16:20:05\",\n"
                        + "  \"store_name\" : \"杯具\\/店\",\n  \"total_amount\" : \"6.60\",\n  \"trade_no\" : \"2026120322001422222222222222\",\n"
                        + "  \"trade_status\" : \"TRADE_SUCCESS\"\n}";
                return IndependentAlipay.Answer.ok("{\"alipay_trade_query_response\" : " + object + " , \"sign\" : \""
                        + IndependentAlipay.sign(object, ali.alipay.getPrivate()) + "\"}");
            });
            Map<String, String> rw = brushcard(node, "E2E-ALI-RAW");
            check(failures, "signed raw text with whitespace and escapes: " + rw, "1".equals(rw.get("payStatus"))
                    && "2026120322001422222222222222".equals(rw.get("tradeNo")) && "20261203162005".equals(rw.get("payTime")));
            for (IndependentAlipay.Received r : ali.received) {
                check(failures, "request sign of " + r.params().get("method") + " " + r.outTradeNo(), r.signOk());
            }
            assertThat(failures).isEmpty();
        }
    }

    static String success(String flow, String amount) {
        return "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_logon_id\":\"159****5620\",\"buyer_pay_amount\":\"" + amount + "\","
                + "\"out_trade_no\":\"" + flow + "\",\"point_amount\":\"0.00\",\"receipt_amount\":\"" + amount + "\","
                + "\"send_pay_date\":\"2026-12-03 16:20:05\",\"total_amount\":\"" + amount + "\","
                + "\"trade_no\":\"2026120322001411111111111111\",\"trade_status\":\"TRADE_SUCCESS\"}";
    }

    // ---- 4. The sweeper at expiry --------------------------------------------------------------

    @Test
    @Timeout(120)
    void atExpiryTheSweeperReversesOverMutualTlsAndCloses() throws Exception {
        KeytoolPki pki = KeytoolPki.create();
        try (IndependentWechat wx = IndependentWechat.https(pki.serverContext());
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "channels.trust-ca", pki.caPem.toString(), "sync.sweeper.enabled", "true", "sync.min-interval", "300ms",
                     "sync.card-present-every", "1s", "sync.card-present-expiry", "3s", "sync.expiry", "3s"))) {
            setWechat(node, ",\"certP12\":\"" + pki.clientP12Base64() + "\",\"certPassword\":\"" + KeytoolPki.PASSWORD + "\"");
            HttpResponse<String> set = internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);

            String wxFlow = flowNo();
            String aliFlow = flowNo();
            order(node, "E2E-SW-WX", wxFlow, "5.00", "wechat", "brushcard");
            order(node, "E2E-SW-ALI", aliFlow, "7.00", "alipay", "qrcode");
            ali.placed(aliFlow, "7.00");

            long deadline = System.currentTimeMillis() + 30_000;
            String wxState = null;
            String aliState = null;
            while (System.currentTimeMillis() < deadline) {
                wxState = state(node, "E2E-SW-WX");
                aliState = state(node, "E2E-SW-ALI");
                if (!"INIT".equals(wxState) && !"INIT".equals(aliState)) {
                    break;
                }
                Thread.sleep(250);
            }
            List<String> failures = new ArrayList<>();
            check(failures, "wechat card-present order after expiry: " + wxState + "; calls " + wx.calls, "REVOKED".equals(wxState));
            check(failures, "alipay order after expiry: " + aliState + "; calls " + ali.received.size(), "CLOSED".equals(aliState));
            check(failures, "wechat secapi without a client certificate: " + wx.secapiWithoutCertificate.get(), wx.secapiWithoutCertificate.get() == 0);
            List<IndependentWechat.Received> reversed = wx.received("secapi/pay/reverse", wxFlow);
            check(failures, "wechat reverse calls " + reversed.size(), reversed.size() == 1);
            for (IndependentWechat.Received r : reversed) {
                check(failures, "reverse client certificate " + r.clientCert(), r.clientCert() != null && r.clientCert().contains("CN=" + IndependentWechat.MCH_ID));
                check(failures, "reverse sign " + r.fields(), r.signOk());
            }
            check(failures, "wechat closeorder for a card-present order: " + wx.count("pay/closeorder", wxFlow), wx.count("pay/closeorder", wxFlow) == 0);
            check(failures, "wechat queried before the reverse: " + wx.count("pay/orderquery", wxFlow), wx.count("pay/orderquery", wxFlow) >= 1);
            check(failures, "alipay close calls " + ali.count("alipay.trade.close", aliFlow), ali.count("alipay.trade.close", aliFlow) == 1);
            check(failures, "alipay cancel calls for a non-card-present order " + ali.count("alipay.trade.cancel", aliFlow),
                    ali.count("alipay.trade.cancel", aliFlow) == 0);
            for (IndependentAlipay.Received r : ali.received) {
                check(failures, "alipay request sign of " + r.params().get("method"), r.signOk());
            }
            if ("REVOKED".equals(wxState)) {
                Map<String, String> b = brushcard(node, "E2E-SW-WX");
                check(failures, "brushcard after reverse: " + b, "10".equals(b.get("payStatus")) && "0.00".equals(b.get("succAmount")));
            }
            if ("CLOSED".equals(aliState)) {
                Map<String, String> s = single(node, "E2E-SW-ALI");
                check(failures, "single after close: " + s, "3".equals(s.get("status")));
            }
            check(failures, "metric cancel revoked", metric(node, "wechat", "cancel", "revoked", "sweeper") == 1.0);
            check(failures, "metric cancel closed", metric(node, "alipay", "cancel", "closed", "sweeper") == 1.0);
            assertThat(failures).isEmpty();
        }
    }

    // ---- helpers -------------------------------------------------------------------------------

    static void check(List<String> failures, String what, boolean ok) {
        if (!ok) {
            failures.add(what);
        }
    }

    static String flowNo() {
        return "2026120316" + String.format("%010d", SEQ.incrementAndGet());
    }

    static LiveLeopard start(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>(Map.of("internal.tokens", TOKEN, "internal.port", "0", "sync.sweeper.enabled", "false"));
        config.putAll(extra);
        return LiveLeopard.startWithoutRateLimits(config);
    }

    static void setWechat(LiveLeopard node, String extraJson) throws Exception {
        HttpResponse<String> r = internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/wechat",
                "{\"appid\":\"" + IndependentWechat.APPID + "\",\"mchId\":\"" + IndependentWechat.MCH_ID + "\",\"key\":\""
                        + IndependentWechat.KEY + "\"" + extraJson + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static void order(LiveLeopard node, String orderNo, String flowNo, String amount, String type, String scene) throws Exception {
        String now = LocalDateTime.now(java.time.ZoneId.of("Asia/Shanghai")).minusMinutes(1).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        HttpResponse<String> r = internal(node, "PUT", "/internal/v1/orders/" + MID + "/" + orderNo,
                "{\"flowNo\":\"" + flowNo + "\",\"amount\":\"" + amount + "\",\"type\":\"" + type + "\",\"scene\":\"" + scene
                        + "\",\"state\":\"INIT\",\"orderTime\":\"" + now + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    static String state(LiveLeopard node, String orderNo) throws Exception {
        Matcher m = Pattern.compile("\"state\":\"([A-Z]+)\"").matcher(internal(node, "GET", "/internal/v1/orders/" + MID + "/" + orderNo, null).body());
        return m.find() ? m.group(1) : null;
    }

    static Map<String, String> pollBrushcardWhilePending(LiveLeopard node, String orderNo, long maxMs) throws Exception {
        long deadline = System.currentTimeMillis() + maxMs;
        Map<String, String> a = brushcard(node, orderNo);
        while ("5".equals(a.get("payStatus")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            a = brushcard(node, orderNo);
        }
        return a;
    }

    static Map<String, String> brushcard(LiveLeopard node, String orderNo) throws Exception {
        return signedQuery(node, "/query/brushcard", orderNo);
    }

    static Map<String, String> single(LiveLeopard node, String orderNo) throws Exception {
        return signedQuery(node, "/query/single", orderNo);
    }

    static Map<String, String> signedQuery(LiveLeopard node, String path, String orderNo) throws Exception {
        HttpResponse<String> r = node.postSigned(path, Map.of("mid", MID, "orderNo", orderNo, "noise", "n12345"), KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, String> fields = IndependentVerifier.fields(r.body());
        assertThat(fields).as(r.body()).containsEntry("code", "SUCCESS");
        assertThat(IndependentVerifier.verify(fields, KEY, "MD5")).as(r.body()).isTrue();
        return fields;
    }

    static double metric(LiveLeopard node, String channel, String kind, String outcome, String trigger) throws Exception {
        String body = node.send("GET", node.baseUrl() + "/metrics").body();
        String series = "leopard_sync_calls_total{channel=\"" + channel + "\",kind=\"" + kind + "\",outcome=\"" + outcome
                + "\",trigger=\"" + trigger + "\"} ";
        for (String line : body.split("\n")) {
            if (line.startsWith(series)) {
                return Double.parseDouble(line.substring(series.length()).trim());
            }
        }
        return 0;
    }

    static double awaitMetric(LiveLeopard node, String channel, String kind, String outcome, String trigger, double want,
                                      long maxMs) throws Exception {
        long deadline = System.currentTimeMillis() + maxMs;
        double v = metric(node, channel, kind, outcome, trigger);
        while (v < want && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            v = metric(node, channel, kind, outcome, trigger);
        }
        return v;
    }

    static HttpResponse<String> internal(LiveLeopard node, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.server.internalBaseUrl() + path))
                .timeout(java.time.Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return node.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
