package io.leopard.server.sync.e2e;

import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.brushcard;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.check;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.flowNo;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.internal;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.order;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.setWechat;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.single;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.start;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.state;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.success;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.sync.e2e.IndependentWechat.Answer;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * More of what WeChat Pay and Alipay really answer (every state, errors, unusual but valid text),
 * and lies that play on how an answer is parsed (a field given twice, the signed object given
 * twice), against the real server through the independent fakes.
 */
class ChannelFakesEdgeE2ETest {

    private record Case(String name, String amount, Function<Map<String, String>, Answer> answer, Predicate<Map<String, String>> expected) {
    }

    @Test
    @Timeout(120)
    void wechatStatesErrorsAndParserDifferentials() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms", "sync.timeout", "800ms"))) {
            setWechat(node, "");
            String txn = "4200002026120377777777777777";
            List<Case> cases = new ArrayList<>();
            cases.add(new Case("USERPAYING", "1.00", req -> signed(wxState(req, "USERPAYING", 100, null), req),
                    a -> is(a, "5") && a.containsKey("confirmTime")));
            cases.add(new Case("CLOSED", "1.00", req -> signed(wxState(req, "CLOSED", 100, null), req), a -> is(a, "2")));
            cases.add(new Case("REVOKED", "1.00", req -> signed(wxState(req, "REVOKED", 100, null), req), a -> is(a, "10")));
            cases.add(new Case("PAYERROR", "1.00", req -> signed(wxState(req, "PAYERROR", 100, null), req), a -> is(a, "2")));
            cases.add(new Case("ORDERNOTEXIST", "1.00", req -> {
                Map<String, String> m = IndependentWechat.okBase(req);
                m.put("result_code", "FAIL");
                m.put("err_code", "ORDERNOTEXIST");
                m.put("err_code_des", "此交易订单号不存在");
                return signed(m, req);
            }, a -> is(a, "5") && !a.containsKey("confirmTime")));
            cases.add(new Case("return_code FAIL unsigned", "1.00", req -> Answer.ok(IndependentWechat.xml(IndependentWechat.fail("系统繁忙"))),
                    a -> is(a, "5") && !a.containsKey("confirmTime")));
            cases.add(new Case("prolog and whitespace (valid)", "18.80", req -> Answer.ok("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                    + IndependentWechat.signedXml(IndependentWechat.paid(req, 1880, txn, "20261203161530"), req)
                            .replaceAll("(<xml>|</[a-z_]+>)(?=<)", "$1\n  ").replace("</xml>", "\n</xml>\n")),
                    a -> is(a, "1") && txn.equals(a.get("tradeNo"))));
            cases.add(new Case("SUCCESS of another appid, signed", "18.80", req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, txn, "20261203161530");
                m.put("appid", "wx0000000000000000");
                return signed(m, req);
            }, a -> is(a, "5")));
            cases.add(new Case("SUCCESS of another mch_id, signed", "18.80", req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, txn, "20261203161530");
                m.put("mch_id", "19999999");
                return signed(m, req);
            }, a -> is(a, "5")));
            // a field given twice: the signature is right for NOTPAY, the second trade_state says SUCCESS
            cases.add(new Case("trade_state twice, NOTPAY signed, SUCCESS last", "18.80", req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, txn, "20261203161530");
                m.put("trade_state", "NOTPAY");
                String body = IndependentWechat.signedXml(m, req);
                return Answer.ok(body.replace("</xml>", "<trade_state><![CDATA[SUCCESS]]></trade_state></xml>"));
            }, a -> is(a, "5")));
            cases.add(new Case("trade_state twice, SUCCESS first, NOTPAY signed", "18.80", req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, txn, "20261203161530");
                m.put("trade_state", "NOTPAY");
                String body = IndependentWechat.signedXml(m, req);
                return Answer.ok(body.replace("<xml>", "<xml><trade_state><![CDATA[SUCCESS]]></trade_state>"));
            }, a -> is(a, "5")));
            cases.add(new Case("sign twice (a wrong one first)", "18.80", req -> {
                String body = IndependentWechat.signedXml(IndependentWechat.paid(req, 1880, txn, "20261203161530"), "MD5",
                        "11111111111111111111111111111111");
                String good = IndependentWechat.sign(IndependentWechat.paid(req, 1880, txn, "20261203161530"), "MD5", IndependentWechat.KEY);
                return Answer.ok(body.replace("<xml>", "<xml><sign><![CDATA[" + good + "]]></sign>"));
            }, a -> is(a, "5")));
            cases.add(new Case("nested element hiding a value", "18.80", req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, txn, "20261203161530");
                String body = IndependentWechat.signedXml(m, req);
                return Answer.ok(body.replace("<trade_state><![CDATA[SUCCESS]]></trade_state>",
                        "<trade_state><x>SUCCESS</x></trade_state>"));
            }, a -> is(a, "5") || is(a, "1")));

            List<String> failures = new ArrayList<>();
            int i = 0;
            for (Case c : cases) {
                String orderNo = "E2E-WXE-" + i++;
                String flow = flowNo();
                order(node, orderNo, flow, c.amount(), "wechat", "brushcard");
                wx.on("pay/orderquery", flow, c.answer());
                Map<String, String> a = brushcard(node, orderNo);
                check(failures, c.name() + ": " + a, c.expected().test(a));
                check(failures, c.name() + ": calls " + wx.count("pay/orderquery", flow), wx.count("pay/orderquery", flow) == 1);
            }
            assertThat(failures).isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void wechatHmacMerchantRefusesAnMd5SignedAnswer() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms"))) {
            setWechat(node, ",\"signType\":\"HMAC-SHA256\"");
            String flow = flowNo();
            order(node, "E2E-WX-DOWNGRADE", flow, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> Answer.ok(IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1880, "4200002026120300000000000002", "20261203000001"), "MD5", IndependentWechat.KEY)));
            Map<String, String> a = brushcard(node, "E2E-WX-DOWNGRADE");
            assertThat(a).as("an MD5-signed answer to an HMAC-SHA256 merchant").containsEntry("payStatus", "5");
        }
    }

    @Test
    @Timeout(120)
    void alipayStatesAndValidOddText() throws Exception {
        alipayCases(false);
    }

    @Test
    @Timeout(120)
    void alipayDuplicatedOrSmuggledResponseObjects() throws Exception {
        alipayCases(true);
    }

    /** One server per group: each group stays under the channel breaker's 10 calls. */
    private static void alipayCases(boolean duplicates) throws Exception {
        try (IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.alipay.gateway", ali.gateway(), "sync.min-interval", "300ms", "sync.timeout", "800ms"))) {
            HttpResponse<String> set = internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson());
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            String q = "alipay.trade.query";
            Map<String, Function<String, String>> bodies = new LinkedHashMap<>();
            Map<String, Predicate<Map<String, String>>> expected = new LinkedHashMap<>();

            bodies.put("total_amount 18.8 for 18.80 (valid)", flow -> ali.signed(q, success(flow, "18.80").replace("\"total_amount\":\"18.80\"",
                    "\"total_amount\":\"18.8\"")));
            expected.put("total_amount 18.8 for 18.80 (valid)", a -> is(a, "1"));
            bodies.put("braces and quotes inside strings (valid)", flow -> ali.signed(q, success(flow, "18.80").replace("{\"code\"",
                    "{\"store_name\":\"}{ \\\"店\\\" },\\\"sign\\\":\",\"code\"")));
            expected.put("braces and quotes inside strings (valid)", a -> is(a, "1"));
            bodies.put("TRADE_FINISHED", flow -> ali.signed(q, success(flow, "18.80").replace("TRADE_SUCCESS", "TRADE_FINISHED")));
            expected.put("TRADE_FINISHED", a -> is(a, "1"));
            bodies.put("TRADE_CLOSED", flow -> ali.signed(q, success(flow, "18.80").replace("TRADE_SUCCESS", "TRADE_CLOSED")));
            expected.put("TRADE_CLOSED", a -> is(a, "2"));
            bodies.put("unsigned TRADE_SUCCESS", flow -> "{\"alipay_trade_query_response\":" + success(flow, "18.80") + "}");
            expected.put("unsigned TRADE_SUCCESS", a -> is(a, "5"));
            bodies.put("another out_trade_no, signed", flow -> ali.signed(q, success("20990101000000000001", "18.80")));
            expected.put("another out_trade_no, signed", a -> is(a, "5"));
            bodies.put("answer of another method, signed", flow -> ali.signed("alipay.trade.close", success(flow, "18.80")));
            expected.put("answer of another method, signed", a -> is(a, "5"));
            bodies.put("ACQ.SYSTEM_ERROR, signed", flow -> ali.signed(q, "{\"code\":\"20000\",\"msg\":\"Service Currently Unavailable\","
                    + "\"sub_code\":\"ACQ.SYSTEM_ERROR\",\"sub_msg\":\"系统异常\"}"));
            expected.put("ACQ.SYSTEM_ERROR, signed", a -> is(a, "5") && !a.containsKey("confirmTime"));
            if (duplicates) {
                bodies.clear();
                expected.clear();
            }
            // the genuine signed WAIT_BUYER_PAY object, then a second response object saying TRADE_SUCCESS
            bodies.put("response object twice, genuine first", flow -> {
                String genuine = wait(flow, "18.80");
                return "{\"alipay_trade_query_response\":" + genuine + ",\"sign\":\"" + IndependentAlipay.sign(genuine, ali.alipay.getPrivate())
                        + "\",\"alipay_trade_query_response\":" + success(flow, "18.80") + "}";
            });
            expected.put("response object twice, genuine first", a -> is(a, "5"));
            bodies.put("response object twice, forged first", flow -> {
                String genuine = wait(flow, "18.80");
                return "{\"alipay_trade_query_response\":" + success(flow, "18.80") + ",\"alipay_trade_query_response\":" + genuine
                        + ",\"sign\":\"" + IndependentAlipay.sign(genuine, ali.alipay.getPrivate()) + "\"}";
            });
            expected.put("response object twice, forged first", a -> is(a, "5"));
            bodies.put("forged object inside a string of the signed text", flow -> {
                String forged = success(flow, "18.80");
                String genuine = wait(flow, "18.80").replace("{\"code\"", "{\"memo\":\"x\\\"alipay_trade_query_response\\\":" + forged.replace("\"", "\\\"") + "\",\"code\"");
                return "{\"alipay_trade_query_response\":" + genuine + ",\"sign\":\"" + IndependentAlipay.sign(genuine, ali.alipay.getPrivate()) + "\"}";
            });
            expected.put("forged object inside a string of the signed text", a -> is(a, "5"));
            bodies.put("nested 30000 deep", flow -> "{\"alipay_trade_query_response\":" + "[".repeat(30_000) + "]".repeat(30_000) + "}");
            expected.put("nested 30000 deep", a -> is(a, "5"));
            if (!duplicates) {
                bodies.keySet().removeIf(k -> k.contains("twice") || k.contains("inside a string") || k.contains("nested"));
            }

            List<String> failures = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, Function<String, String>> e : bodies.entrySet()) {
                String orderNo = "E2E-ALE-" + i++;
                String flow = flowNo();
                order(node, orderNo, flow, "18.80", "alipay", "brushcard");
                String body = e.getValue().apply(flow);
                ali.on(q, flow, r -> IndependentAlipay.Answer.ok(body));
                Map<String, String> a = brushcard(node, orderNo);
                check(failures, e.getKey() + ": " + a, expected.get(e.getKey()).test(a));
                check(failures, e.getKey() + ": calls " + ali.count(q, flow), ali.count(q, flow) == 1);
            }
            assertThat(failures).isEmpty();
        }
    }

    @Test
    @Timeout(120)
    void atExpiryTheSweeperClosesWechatReversesAlipayAndRecordsLateAnswers() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "sync.sweeper.enabled", "true", "sync.min-interval", "300ms",
                     "sync.card-present-every", "1s", "sync.card-present-expiry", "3s", "sync.expiry", "3s"))) {
            setWechat(node, "");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            // wechat qrcode: pay/closeorder → CLOSED
            String wxClose = flowNo();
            order(node, "E2E-SW2-WXQ", wxClose, "5.00", "wechat", "qrcode");
            // alipay card-present: alipay.trade.cancel → REVOKED
            String aliCancel = flowNo();
            order(node, "E2E-SW2-ALIB", aliCancel, "6.00", "alipay", "brushcard");
            ali.placed(aliCancel, "6.00");
            String aliRefund = flowNo();
            order(node, "E2E-SW2-ALIREF", aliRefund, "6.50", "alipay", "brushcard");
            ali.placed(aliRefund, "6.50");
            ali.on("alipay.trade.cancel", aliRefund, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.cancel",
                    "{\"code\":\"10000\",\"msg\":\"Success\",\"trade_no\":\"2026120322001444444444444444\",\"out_trade_no\":\""
                            + aliRefund + "\",\"retry_flag\":\"N\",\"action\":\"refund\"}")));
            // alipay qrcode whose close is refused because it was paid at the last moment
            String aliPaidLate = flowNo();
            order(node, "E2E-SW2-ALIPAID", aliPaidLate, "7.00", "alipay", "qrcode");
            ali.placed(aliPaidLate, "7.00");
            ali.on("alipay.trade.close", aliPaidLate, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.close",
                    "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_STATUS_ERROR\",\"sub_msg\":\"交易状态不合法\"}")));
            ali.on("alipay.trade.query", aliPaidLate, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.query",
                    ali.count("alipay.trade.close", aliPaidLate) > 0 ? success(aliPaidLate, "7.00").replace("2026120322001411111111111111",
                            "2026120322001433333333333333") : wait(aliPaidLate, "7.00"))));
            // wechat card-present for a merchant without an API certificate: it cannot be reversed, and is not closed instead
            String wxNoCert = flowNo();
            order(node, "E2E-SW2-WXB", wxNoCert, "8.00", "wechat", "brushcard");

            long deadline = System.currentTimeMillis() + 25_000;
            while (System.currentTimeMillis() < deadline && ("INIT".equals(state(node, "E2E-SW2-WXQ"))
                    || "INIT".equals(state(node, "E2E-SW2-ALIB")) || "INIT".equals(state(node, "E2E-SW2-ALIREF")) || "INIT".equals(state(node, "E2E-SW2-ALIPAID")))) {
                Thread.sleep(250);
            }
            Thread.sleep(2_000); // and the card-present WeChat order without a certificate has had its chance
            List<String> failures = new ArrayList<>();
            check(failures, "wechat qrcode after expiry: " + state(node, "E2E-SW2-WXQ") + " closeorder calls " + wx.count("pay/closeorder", wxClose),
                    "CLOSED".equals(state(node, "E2E-SW2-WXQ")) && wx.count("pay/closeorder", wxClose) == 1);
            check(failures, "wechat qrcode closeorder signed: " + wx.received("pay/closeorder", wxClose),
                    wx.received("pay/closeorder", wxClose).stream().allMatch(IndependentWechat.Received::signOk));
            // Alipay's cancel says action=close for a trade nobody paid (CLOSED), action=refund when it gave a payment back (REVOKED)
            check(failures, "alipay card-present (cancel action=close) after expiry: " + state(node, "E2E-SW2-ALIB") + " cancel calls "
                    + ali.count("alipay.trade.cancel", aliCancel) + " close calls " + ali.count("alipay.trade.close", aliCancel),
                    "CLOSED".equals(state(node, "E2E-SW2-ALIB")) && ali.count("alipay.trade.cancel", aliCancel) == 1
                            && ali.count("alipay.trade.close", aliCancel) == 0);
            check(failures, "alipay card-present (cancel action=refund) after expiry: " + state(node, "E2E-SW2-ALIREF") + " cancel calls "
                    + ali.count("alipay.trade.cancel", aliRefund), "REVOKED".equals(state(node, "E2E-SW2-ALIREF"))
                    && ali.count("alipay.trade.cancel", aliRefund) == 1);
            if ("REVOKED".equals(state(node, "E2E-SW2-ALIREF"))) {
                Map<String, String> b = brushcard(node, "E2E-SW2-ALIREF");
                check(failures, "alipay revoked brushcard " + b, "10".equals(b.get("payStatus")) && "0.00".equals(b.get("succAmount")));
            }
            check(failures, "alipay paid at the last moment: " + state(node, "E2E-SW2-ALIPAID"), "SUCCESS".equals(state(node, "E2E-SW2-ALIPAID")));
            if ("SUCCESS".equals(state(node, "E2E-SW2-ALIPAID"))) {
                Map<String, String> s = single(node, "E2E-SW2-ALIPAID");
                check(failures, "alipay paid late single " + s, "1".equals(s.get("status")) && "2026120322001433333333333333".equals(s.get("tradeNo")));
            }
            check(failures, "wechat card-present without a certificate: " + state(node, "E2E-SW2-WXB") + " reverse calls "
                    + wx.count("secapi/pay/reverse", wxNoCert) + " closeorder calls " + wx.count("pay/closeorder", wxNoCert),
                    "INIT".equals(state(node, "E2E-SW2-WXB")) && wx.count("pay/closeorder", wxNoCert) == 0);
            assertThat(failures).isEmpty();
        }
    }

    @Test
    @Timeout(150)
    void atExpiryTheSweeperHonoursOrderPaidRecallAndNoSuchOrder() throws Exception {
        KeytoolPki pki = KeytoolPki.create();
        try (IndependentWechat wx = IndependentWechat.https(pki.serverContext());
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "channels.trust-ca", pki.caPem.toString(), "sync.sweeper.enabled", "true", "sync.min-interval", "300ms",
                     "sync.card-present-every", "1s", "sync.card-present-expiry", "3s", "sync.expiry", "3s"))) {
            setWechat(node, ",\"certP12\":\"" + pki.clientP12Base64() + "\",\"certPassword\":\"" + KeytoolPki.PASSWORD + "\"");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            String txn = "4200002026120312121212121212";
            // (a) wechat qrcode: closeorder says ORDERPAID, the query then says SUCCESS
            String paidAtClose = flowNo();
            order(node, "E2E-SW3-WXPAID", paidAtClose, "9.00", "wechat", "qrcode");
            wx.on("pay/closeorder", paidAtClose, req -> {
                Map<String, String> m = IndependentWechat.okBase(req);
                m.put("result_code", "FAIL");
                m.put("err_code", "ORDERPAID");
                m.put("err_code_des", "订单已支付");
                return signed(m, req);
            });
            wx.on("pay/orderquery", paidAtClose, req -> signed(wx.count("pay/closeorder", paidAtClose) > 0
                    ? IndependentWechat.paid(req, 900, txn, "20261203161530") : IndependentWechat.notPay(req), req));
            // (b) wechat card-present: the first reverse says recall=Y, the second succeeds
            String recall = flowNo();
            order(node, "E2E-SW3-WXRECALL", recall, "4.00", "wechat", "brushcard");
            wx.on("secapi/pay/reverse", recall, req -> {
                Map<String, String> m = IndependentWechat.okBase(req);
                if (wx.count("secapi/pay/reverse", recall) == 1) {
                    m.put("result_code", "FAIL");
                    m.put("err_code", "SYSTEMERROR");
                    m.put("err_code_des", "系统超时");
                    m.put("recall", "Y");
                } else {
                    m.put("recall", "N");
                }
                return signed(m, req);
            });
            // (c) wechat card-present paid just before its expiry: recorded, never reversed. Paid from
            // 1.6 s on: the expiry (3 s) is counted from the write's stored time, whole seconds, so it
            // may come as early as 2 s after this line; 2.3 s let the query at expiry see it unpaid
            String lastMoment = flowNo();
            long paidFrom = System.currentTimeMillis() + 1_600;
            order(node, "E2E-SW3-WXLATE", lastMoment, "3.30", "wechat", "brushcard");
            wx.on("pay/orderquery", lastMoment, req -> signed(System.currentTimeMillis() >= paidFrom
                    ? IndependentWechat.paid(req, 330, "4200002026120334343434343434", "20261203161530") : IndependentWechat.notPay(req), req));
            // (d) alipay qrcode Alipay never heard of: NOT_EXIST to the query and to the close → closed locally
            String unknown = flowNo();
            order(node, "E2E-SW3-ALINX", unknown, "1.50", "alipay", "qrcode");
            ali.on("alipay.trade.close", unknown, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.close",
                    "{\"code\":\"40004\",\"msg\":\"Business Failed\",\"sub_code\":\"ACQ.TRADE_NOT_EXIST\",\"sub_msg\":\"交易不存在\"}")));

            List<String> orders = List.of("E2E-SW3-WXPAID", "E2E-SW3-WXRECALL", "E2E-SW3-WXLATE", "E2E-SW3-ALINX");
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && orders.stream().anyMatch(o -> {
                try {
                    return "INIT".equals(state(node, o));
                } catch (Exception e) {
                    return true;
                }
            })) {
                Thread.sleep(250);
            }
            List<String> failures = new ArrayList<>();
            check(failures, "(a) closeorder ORDERPAID: " + state(node, "E2E-SW3-WXPAID") + " close " + wx.count("pay/closeorder", paidAtClose),
                    "SUCCESS".equals(state(node, "E2E-SW3-WXPAID")));
            check(failures, "(b) reverse recall=Y then SUCCESS: " + state(node, "E2E-SW3-WXRECALL") + " reverses "
                    + wx.count("secapi/pay/reverse", recall), "REVOKED".equals(state(node, "E2E-SW3-WXRECALL"))
                    && wx.count("secapi/pay/reverse", recall) == 2);
            check(failures, "(c) paid at the last moment: " + state(node, "E2E-SW3-WXLATE") + " reverses "
                    + wx.count("secapi/pay/reverse", lastMoment), "SUCCESS".equals(state(node, "E2E-SW3-WXLATE"))
                    && wx.count("secapi/pay/reverse", lastMoment) == 0);
            check(failures, "(d) unknown at Alipay: " + state(node, "E2E-SW3-ALINX") + " close " + ali.count("alipay.trade.close", unknown),
                    "CLOSED".equals(state(node, "E2E-SW3-ALINX")));
            check(failures, "secapi without certificate " + wx.secapiWithoutCertificate.get(), wx.secapiWithoutCertificate.get() == 0);
            assertThat(failures).isEmpty();
        }
    }

    @Test
    @Timeout(60)
    void serviceProviderWechatAndPkcs1AlipayKeysInteroperate() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "sync.min-interval", "300ms"))) {
            setWechat(node, ",\"subMchId\":\"1900000109\"");
            String flow = flowNo();
            order(node, "E2E-SP-WX", flow, "1.00", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> {
                Map<String, String> m = IndependentWechat.paid(req, 100, "4200002026120356565656565656", "20261203161530");
                m.put("sub_mch_id", "1900000109");
                return signed(m, req);
            });
            Map<String, String> a = brushcard(node, "E2E-SP-WX");
            assertThat(wx.received("pay/orderquery", flow).get(0).fields()).containsEntry("sub_mch_id", "1900000109");
            assertThat(a).containsEntry("payStatus", "1");

            byte[] pkcs8 = ali.app.getPrivate().getEncoded();
            byte[] pkcs1 = java.util.Arrays.copyOfRange(pkcs8, 26, pkcs8.length); // the RSAPrivateKey inside PrivateKeyInfo (2048 bits)
            String pem = "-----BEGIN RSA PRIVATE KEY-----\\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs1)
                    .replace("\n", "\\n") + "\\n-----END RSA PRIVATE KEY-----\\n";
            String creds = "{\"appId\":\"" + IndependentAlipay.APP_ID + "\",\"privateKey\":\"" + pem + "\",\"alipayPublicKey\":\"-----BEGIN PUBLIC KEY-----\\n"
                    + java.util.Base64.getEncoder().encodeToString(ali.alipay.getPublic().getEncoded()) + "\\n-----END PUBLIC KEY-----\"}";
            HttpResponse<String> set = internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", creds);
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            String af = flowNo();
            order(node, "E2E-SP-ALI", af, "18.80", "alipay", "brushcard");
            ali.on("alipay.trade.query", af, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.query", success(af, "18.80"))));
            Map<String, String> b = brushcard(node, "E2E-SP-ALI");
            assertThat(ali.received("alipay.trade.query", af)).allMatch(IndependentAlipay.Received::signOk);
            assertThat(b).containsEntry("payStatus", "1");
        }
    }

    @Test
    @Timeout(60)
    void redirectsAreNotFollowedAndAnOldConfirmTimeStaysOld() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms", "sync.timeout", "800ms"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-REDIR", flow, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> new Answer(302, wx.baseUrl() + "/redirected/pay/orderquery", 0));
            Map<String, String> r = brushcard(node, "E2E-REDIR");
            assertThat(r).containsEntry("payStatus", "5").doesNotContainKey("confirmTime");
            assertThat(wx.received).noneMatch(x -> x.path().startsWith("redirected"));
            assertThat(ChannelFakesE2ETest.awaitMetric(node, "wechat", "query", "http_status", "query", 1, 3_000)).isEqualTo(1.0);

            String f2 = flowNo();
            order(node, "E2E-OLDCONFIRM", f2, "18.80", "wechat", "brushcard");
            Map<String, String> first = brushcard(node, "E2E-OLDCONFIRM");
            assertThat(first).containsEntry("payStatus", "5").containsKey("confirmTime");
            wx.on("pay/orderquery", f2, req -> new Answer(500, "busy", 0));
            Thread.sleep(1_100);
            Map<String, String> second = brushcard(node, "E2E-OLDCONFIRM");
            assertThat(wx.count("pay/orderquery", f2)).isEqualTo(2);
            assertThat(second).as("a failed call confirms nothing").containsEntry("payStatus", "5")
                    .containsEntry("confirmTime", first.get("confirmTime"));
            wx.on("pay/orderquery", f2, req -> signed(IndependentWechat.notPay(req), req));
            Thread.sleep(1_100);
            Map<String, String> third = brushcard(node, "E2E-OLDCONFIRM");
            assertThat(third.get("confirmTime")).as("confirmed again").isGreaterThan(first.get("confirmTime"));
        }
    }

    @Test
    @Timeout(60)
    void anUnreachableChannelNeverFailsTheQuery() throws Exception {
        String url;
        try (IndependentWechat gone = IndependentWechat.http()) {
            url = gone.baseUrl();
        }
        try (LiveLeopard node = start(Map.of("channels.wechat.base-url", url, "sync.min-interval", "300ms"))) {
            setWechat(node, "");
            order(node, "E2E-GONE", flowNo(), "18.80", "wechat", "brushcard");
            long t0 = System.nanoTime();
            Map<String, String> a = brushcard(node, "E2E-GONE");
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_500);
            assertThat(a).containsEntry("payStatus", "5").doesNotContainKey("confirmTime");
            assertThat(single(node, "E2E-GONE")).containsEntry("status", "0");
            assertThat(ChannelFakesE2ETest.awaitMetric(node, "wechat", "query", "unreachable", "query", 1, 3_000)).isEqualTo(1.0);
        }
    }

    @Test
    @Timeout(60)
    void aFailingChannelIsAskedOncePerIntervalAndAPendingAmountIsChecked() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "500ms"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-DOWN", flow, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> new Answer(503, "down", 0));
            long end = System.currentTimeMillis() + 2_000;
            int polls = 0;
            while (System.currentTimeMillis() < end) {
                assertThat(brushcard(node, "E2E-DOWN")).containsEntry("payStatus", "5");
                polls++;
                Thread.sleep(50);
            }
            assertThat(wx.count("pay/orderquery", flow)).as("%s polls in 2 s, min-interval 500 ms", polls).isBetween(3, 5);

            String f2 = flowNo();
            order(node, "E2E-PENDFEE", f2, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", f2, req -> {
                Map<String, String> m = IndependentWechat.notPay(req);
                m.put("total_fee", "1");
                return signed(m, req);
            });
            assertThat(brushcard(node, "E2E-PENDFEE")).as("NOTPAY with another total_fee confirms nothing")
                    .containsEntry("payStatus", "5").doesNotContainKey("confirmTime");
            assertThat(ChannelFakesE2ETest.awaitMetric(node, "wechat", "query", "mismatch", "query", 1, 3_000)).isEqualTo(1.0);
        }
    }

    @Test
    @Timeout(60)
    void theSweeperAndACashiersPollsTogetherAskOncePerInterval() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.sweeper.enabled", "true",
                     "sync.min-interval", "1s", "sync.card-present-every", "1s", "sync.card-present-expiry", "60s"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-TOGETHER", flow, "18.80", "wechat", "brushcard");
            long start = System.currentTimeMillis();
            long end = start + 4_000;
            while (System.currentTimeMillis() < end) {
                assertThat(brushcard(node, "E2E-TOGETHER")).containsEntry("payStatus", "5");
                Thread.sleep(100);
            }
            long seconds = (System.currentTimeMillis() - start) / 1000;
            assertThat(wx.count("pay/orderquery", flow)).as("calls in %s s with the sweeper every 1 s and polls every 100 ms", seconds)
                    .isBetween(3, (int) seconds + 1);
        }
    }

    /** A customer who paid partly with a coupon or Alipay discount still paid the whole order: total_fee / total_amount is what counts. */
    @Test
    @Timeout(60)
    void paymentsWithCouponsAndDiscountsAreWholePayments() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "sync.min-interval", "300ms"))) {
            setWechat(node, "");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            String flow = flowNo();
            order(node, "E2E-COUPON-WX", flow, "18.80", "wechat", "brushcard");
            wx.on("pay/orderquery", flow, req -> {
                Map<String, String> m = IndependentWechat.paid(req, 1880, "4200002026120378787878787878", "20261203161530");
                m.put("cash_fee", "1380");
                m.put("settlement_total_fee", "1880");
                m.put("coupon_fee", "500");
                m.put("coupon_count", "1");
                m.put("coupon_type_0", "CASH");
                m.put("coupon_id_0", "10000");
                m.put("coupon_fee_0", "500");
                return signed(m, req);
            });
            assertThat(brushcard(node, "E2E-COUPON-WX")).containsEntry("payStatus", "1").containsEntry("succAmount", "18.80");

            String af = flowNo();
            order(node, "E2E-COUPON-ALI", af, "18.80", "alipay", "brushcard");
            ali.on("alipay.trade.query", af, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.query",
                    "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_logon_id\":\"159****5620\",\"buyer_pay_amount\":\"13.80\","
                            + "\"fund_bill_list\":[{\"amount\":\"13.80\",\"fund_channel\":\"ALIPAYACCOUNT\"},{\"amount\":\"5.00\",\"fund_channel\":\"MDISCOUNT\"}],"
                            + "\"invoice_amount\":\"13.80\",\"out_trade_no\":\"" + af + "\",\"point_amount\":\"0.00\",\"receipt_amount\":\"13.80\","
                            + "\"send_pay_date\":\"2026-12-03 16:20:05\",\"total_amount\":\"18.80\",\"trade_no\":\"2026120322001499999999999999\","
                            + "\"trade_status\":\"TRADE_SUCCESS\",\"discount_goods_detail\":\"[{\\\"goods_id\\\":\\\"1\\\"}]\",\"mdiscount_amount\":\"5.00\"}")));
            assertThat(brushcard(node, "E2E-COUPON-ALI")).containsEntry("payStatus", "1").containsEntry("succAmount", "18.80");
        }
    }

    /** A close the channel "confirms" with a wrong signature closes nothing. */
    @Test
    @Timeout(60)
    void aMisSignedCloseClosesNothing() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "channels.alipay.gateway", ali.gateway(),
                     "sync.sweeper.enabled", "true", "sync.min-interval", "300ms",
                     "sync.card-present-every", "1s", "sync.card-present-expiry", "3s", "sync.expiry", "3s"))) {
            setWechat(node, "");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            String wxFlow = flowNo();
            order(node, "E2E-BADCLOSE-WX", wxFlow, "5.00", "wechat", "qrcode");
            wx.on("pay/closeorder", wxFlow, req -> Answer.ok(IndependentWechat.signedXml(IndependentWechat.okBase(req), "MD5",
                    "22222222222222222222222222222222")));
            String aliFlow = flowNo();
            order(node, "E2E-BADCLOSE-ALI", aliFlow, "5.00", "alipay", "qrcode");
            ali.placed(aliFlow, "5.00");
            ali.on("alipay.trade.close", aliFlow, r -> {
                String object = "{\"code\":\"10000\",\"msg\":\"Success\",\"out_trade_no\":\"" + aliFlow + "\"}";
                return IndependentAlipay.Answer.ok(IndependentAlipay.envelope("alipay.trade.close", object,
                        IndependentAlipay.sign(object, ali.forger.getPrivate())));
            });
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline
                    && (wx.count("pay/closeorder", wxFlow) == 0 || ali.count("alipay.trade.close", aliFlow) == 0)) {
                Thread.sleep(200);
            }
            Thread.sleep(1_000);
            assertThat(wx.count("pay/closeorder", wxFlow)).isGreaterThanOrEqualTo(1);
            assertThat(ali.count("alipay.trade.close", aliFlow)).isGreaterThanOrEqualTo(1);
            assertThat(state(node, "E2E-BADCLOSE-WX")).as("wechat close answered with a wrong sign").isEqualTo("INIT");
            assertThat(state(node, "E2E-BADCLOSE-ALI")).as("alipay close answered with a forged sign").isEqualTo("INIT");
        }
    }

    /** A base URL with a path (WeChat's sandboxnew root) and a trailing slash; REVOKED of an order that is not card-present is CLOSED. */
    @Test
    @Timeout(60)
    void aBaseUrlWithAPathAndRevokedOfAnOrdinaryOrder() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl() + "/sandboxnew/", "sync.min-interval", "300ms"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-REVQR", flow, "2.00", "wechat", "qrcode");
            wx.on("pay/orderquery", flow, req -> signed(wxState(req, "REVOKED", 200, null), req));
            Map<String, String> a = single(node, "E2E-REVQR");
            assertThat(wx.sandboxCalls.get()).isEqualTo(1);
            assertThat(a).containsEntry("status", "3");
            assertThat(state(node, "E2E-REVQR")).isEqualTo("CLOSED");
        }
    }

    private static boolean is(Map<String, String> a, String payStatus) {
        return "SUCCESS".equals(a.get("code")) && payStatus.equals(a.get("payStatus"));
    }

    private static Map<String, String> wxState(Map<String, String> req, String tradeState, long fee, String txn) {
        Map<String, String> m = IndependentWechat.paid(req, fee, txn == null ? "4200002026120366666666666666" : txn, "20261203161530");
        m.put("trade_state", tradeState);
        m.put("trade_state_desc", tradeState);
        return m;
    }

    private static Answer signed(Map<String, String> m, Map<String, String> req) {
        return Answer.ok(IndependentWechat.signedXml(m, req));
    }

    private static String wait(String flow, String amount) {
        return "{\"code\":\"10000\",\"msg\":\"Success\",\"buyer_pay_amount\":\"0.00\",\"out_trade_no\":\"" + flow
                + "\",\"total_amount\":\"" + amount + "\",\"trade_no\":\"2026120322001411111111111111\",\"trade_status\":\"WAIT_BUYER_PAY\"}";
    }
}
