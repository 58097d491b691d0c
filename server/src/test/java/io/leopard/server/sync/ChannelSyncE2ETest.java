package io.leopard.server.sync;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real server with a merchant set to the sandbox channel through the internal API: a pending
 * order written by the core settles at the channel, and the merchant's next poll says so, signed
 * (confirmTime included), without anyone writing the order again.
 */
class ChannelSyncE2ETest {
    private static final String TOKEN = "e2e-sync-token-0123456789abcdef";
    private static final Map<String, String> CONFIG = Map.of("internal.tokens", TOKEN, "internal.port", "0",
            "sync.min-interval", "200ms", "sync.sweeper.enabled", "false");

    @Test
    void aPendingCardPresentOrderIsAnsweredPaidOnceTheSandboxSaysSo() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(CONFIG)) {
            String internal = node.server.internalBaseUrl();
            HttpResponse<String> set = send(node, "PUT", internal + "/internal/v1/merchants/" + MID + "/channels/sandbox", "{}");
            assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
            assertThat(set.body()).contains("\"channel\":\"sandbox\"");
            HttpResponse<String> order = send(node, "PUT", internal + "/internal/v1/orders/" + MID + "/E2E-paid2q",
                    "{\"flowNo\":\"FE2E1\",\"amount\":\"18.80\",\"type\":\"wechat\",\"scene\":\"brushcard\",\"state\":\"INIT\","
                            + "\"orderTime\":\"20261203160000\"}");
            assertThat(order.statusCode()).as(order.body()).isEqualTo(201);

            Map<String, String> first = brushcard(node, "E2E-paid2q");
            assertThat(first).containsEntry("payStatus", "5").containsKey("confirmTime").doesNotContainKey("tradeNo");

            Map<String, String> paid = first;
            for (int i = 0; i < 50 && "5".equals(paid.get("payStatus")); i++) {
                Thread.sleep(100); // the next poll after sync.min-interval asks the sandbox again
                paid = brushcard(node, "E2E-paid2q");
            }
            assertThat(paid).containsEntry("payStatus", "1").containsEntry("tradeNo", "SBXFE2E1")
                    .containsEntry("succAmount", "18.80").containsKeys("payTime", "confirmTime");

            HttpResponse<String> stored = send(node, "GET", internal + "/internal/v1/orders/" + MID + "/E2E-paid2q", null);
            assertThat(stored.body()).contains("\"state\":\"SUCCESS\"");
            HttpResponse<String> metrics = node.send("GET", node.baseUrl() + "/metrics");
            assertThat(metrics.body()).contains("leopard_sync_calls_total{channel=\"sandbox\",kind=\"query\",outcome=\"success\",trigger=\"query\"}");
        }
    }

    @Test
    void aChannelThatTimesOutNeverFailsTheQuery() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(Map.of("internal.tokens", TOKEN, "internal.port", "0",
                "sync.timeout", "300ms", "sync.sweeper.enabled", "false"))) {
            String internal = node.server.internalBaseUrl();
            assertThat(send(node, "PUT", internal + "/internal/v1/merchants/" + MID + "/channels/sandbox", "{}").statusCode())
                    .isEqualTo(200);
            for (String scenario : new String[] {"timeout", "garbage", "badsign", "mismatch"}) {
                String orderNo = "E2E-" + scenario;
                assertThat(send(node, "PUT", internal + "/internal/v1/orders/" + MID + "/" + orderNo,
                        "{\"flowNo\":\"F" + scenario + "\",\"amount\":\"1.00\",\"type\":\"alipay\",\"scene\":\"brushcard\","
                                + "\"state\":\"INIT\",\"orderTime\":\"20261203160000\"}").statusCode()).isEqualTo(201);
                Map<String, String> answer = brushcard(node, orderNo);
                assertThat(answer).as(scenario).containsEntry("code", "SUCCESS").containsEntry("payStatus", "5")
                        .doesNotContainKey("confirmTime");
            }
        }
    }

    @Test
    void theRealAdaptersCheckCredentialsAndNothingReturnsThem() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(CONFIG)) {
            String url = node.server.internalBaseUrl() + "/internal/v1/merchants/" + MID + "/channels/";
            String key = "fakeFakeFakeFakeFakeFakeFakeFake";
            HttpResponse<String> wechat = send(node, "PUT", url + "wechat",
                    "{\"appid\":\"wx8888888888888888\",\"mchId\":\"1900000109\",\"key\":\"" + key + "\"}");
            assertThat(wechat.statusCode()).as(wechat.body()).isEqualTo(200);
            assertThat(wechat.body()).isEqualTo("{\"mid\":\"" + MID + "\",\"channel\":\"wechat\",\"fields\":[\"appid\",\"key\",\"mchId\",\"signType\"]}");
            HttpResponse<String> noKey = send(node, "PUT", url + "wechat", "{\"appid\":\"wx8888888888888888\",\"mchId\":\"1900000109\"}");
            assertThat(noKey.statusCode()).isEqualTo(400);
            assertThat(noKey.body()).contains("\"field\":\"key\"", "key is required");
            HttpResponse<String> shortKey = send(node, "PUT", url + "wechat",
                    "{\"appid\":\"wx8888888888888888\",\"mchId\":\"1900000109\",\"key\":\"secretButShort\"}");
            assertThat(shortKey.statusCode()).isEqualTo(400);
            assertThat(shortKey.body()).doesNotContain("secretButShort");
            HttpResponse<String> alipay = send(node, "PUT", url + "alipay",
                    "{\"appId\":\"2021000000000000\",\"privateKey\":\"not a key\",\"alipayPublicKey\":\"nor this\"}");
            assertThat(alipay.statusCode()).isEqualTo(400);
            assertThat(alipay.body()).contains("\"field\":\"privateKey\"").doesNotContain("not a key");
            HttpResponse<String> list = send(node, "GET", node.server.internalBaseUrl() + "/internal/v1/merchants", null);
            assertThat(list.body()).contains("\"channels\":[\"wechat\"]").doesNotContain(key);
        }
    }

    private static Map<String, String> brushcard(LiveLeopard node, String orderNo) throws Exception {
        HttpResponse<String> r = node.postSigned("/query/brushcard", Map.of("mid", MID, "orderNo", orderNo, "noise", "n12345"), KEY);
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, String> fields = IndependentVerifier.fields(r.body());
        assertThat(IndependentVerifier.verify(fields, KEY, "MD5")).as(r.body()).isTrue();
        return fields;
    }

    private static HttpResponse<String> send(LiveLeopard node, String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return node.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
