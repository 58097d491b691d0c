package io.leopard.server.sync.e2e;

import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.brushcard;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.flowNo;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.internal;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.setWechat;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.start;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.state;
import static io.leopard.server.sync.e2e.ChannelFakesE2ETest.success;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.sync.e2e.IndependentWechat.Answer;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Time at the channels: China time on their side whatever the platform's zone, slow answers, batches under one deadline. */
class ChannelFakesTimeE2ETest {
    private static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private static void order(LiveLeopard node, String orderNo, String flowNo, String amount, String type, String scene, ZoneId zone)
            throws Exception {
        String time = LocalDateTime.now(zone).minusMinutes(1).format(WIRE);
        HttpResponse<String> r = internal(node, "PUT", "/internal/v1/orders/" + MID + "/" + orderNo,
                "{\"flowNo\":\"" + flowNo + "\",\"amount\":\"" + amount + "\",\"type\":\"" + type + "\",\"scene\":\"" + scene
                        + "\",\"state\":\"INIT\",\"orderTime\":\"" + time + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    /** WeChat's time_end and Alipay's send_pay_date are China time; a platform in UTC answers them in UTC. */
    @Test
    @Timeout(60)
    void channelTimesAreChinaTimeWhateverThePlatformZone() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("zone", "UTC", "channels.wechat.base-url", wx.baseUrl(),
                     "channels.alipay.gateway", ali.gateway(), "sync.min-interval", "300ms"))) {
            setWechat(node, "");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            String wxFlow = flowNo();
            order(node, "E2E-UTC-WX", wxFlow, "18.80", "wechat", "brushcard", ZoneOffset.UTC);
            wx.on("pay/orderquery", wxFlow, req -> Answer.ok(IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1880, "4200002026120388888888888888", "20261203161530"), req)));
            Map<String, String> w = brushcard(node, "E2E-UTC-WX");
            assertThat(w).as("time_end 20261203161530 China time is 08:15:30 UTC").containsEntry("payStatus", "1")
                    .containsEntry("payTime", "20261203081530");
            assertConfirmTimeIsNow(w, ZoneOffset.UTC);

            String aliFlow = flowNo();
            order(node, "E2E-UTC-ALI", aliFlow, "18.80", "alipay", "brushcard", ZoneOffset.UTC);
            ali.on("alipay.trade.query", aliFlow, r -> IndependentAlipay.Answer.ok(ali.signed("alipay.trade.query", success(aliFlow, "18.80"))));
            Map<String, String> a = brushcard(node, "E2E-UTC-ALI");
            assertThat(a).as("send_pay_date 2026-12-03 16:20:05 China time is 08:20:05 UTC").containsEntry("payStatus", "1")
                    .containsEntry("payTime", "20261203082005");
            String stamp = ali.received("alipay.trade.query", aliFlow).get(0).params().get("timestamp");
            LocalDateTime sent = LocalDateTime.parse(stamp, DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
            assertThat(Duration.between(sent, LocalDateTime.now(ZoneId.of("Asia/Shanghai"))).abs().toMinutes())
                    .as("Alipay's timestamp %s is China time", stamp).isLessThan(5);
        }
    }

    private static void assertConfirmTimeIsNow(Map<String, String> answer, ZoneId zone) {
        assertThat(answer).containsKey("confirmTime");
        LocalDateTime c = LocalDateTime.parse(answer.get("confirmTime"), WIRE);
        assertThat(Duration.between(c, LocalDateTime.now(zone)).abs().toMinutes()).as("confirmTime %s in the platform zone %s",
                answer.get("confirmTime"), zone).isLessThan(2);
    }

    /**
     * OPERATIONS.md "Channel sync" and DECISIONS.md: a query waits {@code sync.timeout}, then answers
     * the stored state, and "the call goes on and writes its answer for the next poll".
     */
    @Test
    @Timeout(60)
    void aChannelSlowerThanTheQueryTimeoutIsStillRecordedForTheNextPoll() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms", "sync.timeout", "500ms"))) {
            setWechat(node, "");
            String flow = flowNo();
            order(node, "E2E-SLOW", flow, "18.80", "wechat", "brushcard", ZoneId.of("Asia/Shanghai"));
            wx.on("pay/orderquery", flow, req -> new Answer(200, IndependentWechat.signedXml(
                    IndependentWechat.paid(req, 1880, "4200002026120355555555555555", "20261203161530"), req), 900));
            long t0 = System.nanoTime();
            Map<String, String> first = brushcard(node, "E2E-SLOW");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(first).containsEntry("payStatus", "5");
            assertThat(ms).as("the poll waited sync.timeout, not the channel").isLessThan(1_500);
            Thread.sleep(1_500); // the channel answered 900 ms after it was asked
            assertThat(state(node, "E2E-SLOW")).as("the call went on after the query stopped waiting, and wrote SUCCESS; fake calls %s",
                    wx.count("pay/orderquery", flow)).isEqualTo("SUCCESS");
        }
    }

    /** A batch asks its pending orders in parallel under one deadline. */
    @Test
    @Timeout(60)
    void aBatchAsksItsPendingOrdersInParallel() throws Exception {
        try (IndependentWechat wx = IndependentWechat.http();
             LiveLeopard node = start(Map.of("channels.wechat.base-url", wx.baseUrl(), "sync.min-interval", "300ms", "sync.timeout", "1s"))) {
            setWechat(node, "");
            StringBuilder orderNos = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                String flow = flowNo();
                String orderNo = "E2E-BATCH-" + i;
                order(node, orderNo, flow, "2.00", "wechat", "qrcode", ZoneId.of("Asia/Shanghai"));
                wx.on("pay/orderquery", flow, req -> new Answer(200, IndependentWechat.signedXml(
                        IndependentWechat.paid(req, 200, "42000020261203000000000000" + req.get("out_trade_no").substring(18), "20261203161530"), req), 400));
                orderNos.append(i == 0 ? "" : ",").append(orderNo);
            }
            HttpResponse<String> r = node.postSigned("/query/multi", Map.of("mid", MID, "orderNo", orderNos.toString(), "noise", "n12345"), KEY);
            Map<String, String> fields = IndependentVerifier.fields(r.body());
            assertThat(IndependentVerifier.verify(fields, KEY, "MD5")).as(r.body()).isTrue();
            String orders = fields.get("orders");
            assertThat(orders.split("\"status\":\"1\"", -1).length - 1).as("4 orders each paid after 400 ms, under one 1 s deadline: %s", orders)
                    .isEqualTo(4);
            // PROTOCOL.md 2.4: confirmTime is last in each element of orders, and last of the order's fields in a single answer
            assertThat(orders).matches("\\[(\\{[^{}]*,\"confirmTime\":\"\\d{14}\"},?){4}]");
            Map<String, String> one = ChannelFakesE2ETest.single(node, "E2E-BATCH-0");
            HttpResponse<String> raw = node.postSigned("/query/single", Map.of("mid", MID, "orderNo", "E2E-BATCH-0", "noise", "n12345"), KEY);
            assertThat(one).containsKey("confirmTime");
            assertThat(raw.body()).containsPattern("\"payTime\":\"\\d{14}\",\"confirmTime\":\"\\d{14}\",\"reqNoise\":\"n12345\",\"sign\":");
        }
    }

    /** Expiry counts from the order's time read in the platform's zone (here 14 hours east of UTC, 6 east of China). */
    @Test
    @Timeout(60)
    void expiryReadsOrderTimeInThePlatformZone() throws Exception {
        ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
        try (IndependentWechat wx = IndependentWechat.http();
             IndependentAlipay ali = new IndependentAlipay();
             LiveLeopard node = start(Map.of("zone", kiritimati.getId(), "channels.wechat.base-url", wx.baseUrl(),
                     "channels.alipay.gateway", ali.gateway(), "sync.sweeper.enabled", "true", "sync.min-interval", "300ms",
                     "sync.card-present-every", "1s", "sync.card-present-expiry", "3s", "sync.expiry", "3s"))) {
            setWechat(node, "");
            assertThat(internal(node, "PUT", "/internal/v1/merchants/" + MID + "/channels/alipay", ali.credentialsJson()).statusCode()).isEqualTo(200);
            String wxFlow = flowNo();
            order(node, "E2E-KIR-WX", wxFlow, "5.00", "wechat", "qrcode", kiritimati);
            String aliFlow = flowNo();
            order(node, "E2E-KIR-ALI", aliFlow, "5.00", "alipay", "qrcode", kiritimati);
            ali.placed(aliFlow, "5.00");
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && ("INIT".equals(state(node, "E2E-KIR-WX")) || "INIT".equals(state(node, "E2E-KIR-ALI")))) {
                Thread.sleep(250);
            }
            assertThat(state(node, "E2E-KIR-WX")).as("wechat order written a minute ago in %s, closeorder calls %s", kiritimati,
                    wx.count("pay/closeorder", wxFlow)).isEqualTo("CLOSED");
            assertThat(state(node, "E2E-KIR-ALI")).as("alipay order, close calls %s", ali.count("alipay.trade.close", aliFlow)).isEqualTo("CLOSED");
        }
    }
}
