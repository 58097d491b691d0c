package io.leopard.server.internal;

import static io.leopard.server.demo.DemoFixture.KEY;
import static io.leopard.server.demo.DemoFixture.MID;
import static io.leopard.server.demo.DemoFixture.OTHER_KEY;
import static io.leopard.server.demo.DemoFixture.OTHER_MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leopard.server.internal.RoutedInternal.Reply;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The internal order endpoints, routed in memory over the demo fixture, checked through the merchant endpoints. */
class OrderWriteEndpointsRoutingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDERS = "/internal/v1/orders/";
    private static RoutedInternal node;

    @BeforeAll
    static void start() throws Exception {
        node = RoutedInternal.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static String card(String flowNo, String state, String extra) {
        return "{\"flowNo\":\"" + flowNo + "\",\"amount\":\"50.00\",\"type\":\"wechat\",\"scene\":\"brushcard\",\"state\":\""
                + state + "\",\"orderTime\":\"20261202160000\"" + extra + "}";
    }

    private static JsonNode json(Reply r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String payStatus(String mid, String key, String orderNo) throws Exception {
        Reply r = node.query("/query/brushcard", Map.of("mid", mid, "orderNo", orderNo, "noise", "n0ise1234"), key);
        JsonNode answer = json(r);
        return answer.has("payStatus") ? answer.get("payStatus").asText() : answer.path("errCode").asText(answer.path("code").asText());
    }

    @Test
    void anOrderIsCreatedMovedAndSeenByTheVeryNextMerchantQuery() throws Exception {
        Reply created = node.call("PUT", ORDERS + MID + "/C1", card("FC1", "INIT", ""));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(json(created).get("outcome").asText()).isEqualTo("created");
        assertThat(json(created).at("/order/version").asLong()).isEqualTo(1);
        assertThat(payStatus(MID, KEY, "C1")).as("pending").isEqualTo("5");
        Reply again = node.call("PUT", ORDERS + MID + "/C1", card("FC1", "INIT", ""));
        assertThat(again.status()).isEqualTo(200);
        assertThat(json(again).get("changed").asBoolean()).isFalse();
        Reply paid = node.call("PUT", ORDERS + MID + "/C1", card("FC1", "SUCCESS",
                ",\"tradeNo\":\"T1\",\"payTime\":\"20261202160005\""));
        assertThat(paid.status()).as(paid.body()).isEqualTo(200);
        assertThat(json(paid).get("changed").asBoolean()).isTrue();
        assertThat(payStatus(MID, KEY, "C1")).isEqualTo("1");
        assertThat(node.call("PUT", ORDERS + MID + "/C1", card("FC1", "REVOKED", "")).status()).isEqualTo(200);
        assertThat(payStatus(MID, KEY, "C1")).isEqualTo("10");
        assertThat(payStatus(OTHER_MID, OTHER_KEY, "C1")).as("another merchant never sees it").isEqualTo("ORDER_NOT_EXIST");

        JsonNode stored = json(node.call("GET", ORDERS + MID + "/C1", null));
        assertThat(stored.get("state").asText()).isEqualTo("REVOKED");
        assertThat(stored.get("version").asLong()).isEqualTo(3);
        assertThat(stored.get("tradeNo").asText()).isEqualTo("T1");
        assertThat(stored.get("payTime").asText()).isEqualTo("20261202160005");
        assertThat(stored.get("amount").asText()).isEqualTo("50.00");
        assertThat(stored.get("createdAt").asText()).matches("\\d{14}");
        assertThat(node.call("GET", ORDERS + MID + "/NOPE", null).status()).isEqualTo(404);
    }

    @Test
    void refusedMovesAndChangedFieldsAre409NamingTheMoveOrTheField() throws Exception {
        node.call("PUT", ORDERS + MID + "/C2", card("FC2", "SUCCESS", ",\"tradeNo\":\"T2\",\"payTime\":\"20261202160005\""));
        Reply back = node.call("PUT", ORDERS + MID + "/C2", card("FC2", "INIT", ""));
        assertThat(back.status()).isEqualTo(409);
        assertThat(json(back).get("error").asText()).isEqualTo("illegal_move");
        assertThat(json(back).get("move").asText()).isEqualTo("SUCCESS -> INIT");
        assertThat(json(back).at("/order/state").asText()).isEqualTo("SUCCESS");
        Reply failed = node.call("PUT", ORDERS + MID + "/C2", card("FC2", "FAILED", ""));
        assertThat(json(failed).get("move").asText()).isEqualTo("SUCCESS -> FAILED");
        for (String[] change : new String[][] {{"amount", ",\"amount\":\"51.00\""}, {"tradeNo", ",\"tradeNo\":\"T9\""},
                {"payTime", ",\"payTime\":\"20261202160009\""}, {"orderTime", ",\"orderTime\":\"20261202160001\""}}) {
            String body = card("FC2", "SUCCESS", "").replace(",\"amount\":\"50.00\"", change[0].equals("amount") ? "" : ",\"amount\":\"50.00\"")
                    .replace(",\"orderTime\":\"20261202160000\"", change[0].equals("orderTime") ? "" : ",\"orderTime\":\"20261202160000\"")
                    .replace("}", change[1] + "}");
            Reply r = node.call("PUT", ORDERS + MID + "/C2", body);
            assertThat(r.status()).as(change[0] + ": " + r.body()).isEqualTo(409);
            assertThat(json(r).get("error").asText()).isEqualTo("conflict");
            assertThat(json(r).get("field").asText()).isEqualTo(change[0]);
        }
        assertThat(json(node.call("GET", ORDERS + MID + "/C2", null)).get("version").asLong()).isEqualTo(1);
    }

    @Test
    void badInputIsAClearErrorAndWritesNothing() throws Exception {
        String path = ORDERS + MID + "/BAD1";
        Map<String, String> fieldCases = Map.of(
                card("FB1", "INIT", "").replace("\"50.00\"", "\"5.001\""), "amount",
                card("FB1", "INIT", "").replace("\"50.00\"", "null"), "amount",
                card("FB1", "INIT", "").replace("\"50.00\"", "true"), "amount",
                card("FB1", "INIT", "").replace("\"50.00\"", "12.300"), "amount", // a number is its literal text: three decimals
                card("FB1", "INIT", ",\"colour\":\"red\""), "colour",
                card("FB1", "PAID", ""), "state",
                card("FB1", "INIT", ",\"mid\":\"" + OTHER_MID + "\""), "mid",
                card("FB1", "INIT", ",\"payTime\":\"20261202160005\""), "payTime",
                card("FB1", "INIT", "").replace("\"brushcard\"", "{\"a\":1}"), "scene");
        fieldCases.forEach((body, field) -> {
            Reply r = node.call("PUT", path, body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
            try {
                assertThat(json(r).get("field").asText()).as(body).isEqualTo(field);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(node.call("PUT", ORDERS + MID + "/bad%20no", card("FB1", "INIT", "")).status()).isEqualTo(400);
        assertThat(node.call("PUT", path, "{\"flowNo\":").status()).isEqualTo(400);
        assertThat(json(node.call("PUT", path, "{\"flowNo\":\"a\",\"flowNo\":\"b\"}")).get("error").asText()).isEqualTo("invalid_json");
        assertThat(node.call("PUT", path, "[1]").status()).isEqualTo(400);
        assertThat(node.call("PUT", path, "").status()).isEqualTo(400);
        assertThat(node.call("PUT", path, card("FB1", "INIT", "") + " {}").status()).isEqualTo(400);
        assertThat(node.call("PUT", path, card("FB1", "INIT", ""), Map.of("Authorization", "Bearer " + RoutedInternal.TOKEN,
                "Content-Type", "text/plain")).status()).isEqualTo(415);
        String huge = card("FB1", "INIT", ",\"tradeNo\":\"" + "x".repeat(2 * 1024 * 1024) + "\"");
        assertThat(node.call("PUT", path, huge).status()).isEqualTo(413);
        Reply unknown = node.call("PUT", ORDERS + "100000510983499/BAD1", card("FB1", "INIT", ""));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).isEqualTo("unknown_merchant");
        assertThat(node.call("GET", path, null).status()).as("nothing written").isEqualTo(404);
    }

    @Test
    void everyMissingOrWrongTokenGetsTheSame401() throws Exception {
        String path = ORDERS + MID + "/T1";
        String body = card("FT1", "INIT", "");
        String expected = null;
        for (Map<String, String> headers : java.util.List.of(
                Map.of("Content-Type", "application/json"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer wrong-token-0123456789"),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer " + RoutedInternal.TOKEN + "x"),
                Map.of("Content-Type", "application/json", "Authorization", "Basic " + RoutedInternal.TOKEN),
                Map.of("Content-Type", "application/json", "Authorization", "Bearer"),
                Map.of("Content-Type", "application/json", "Authorization", RoutedInternal.TOKEN))) {
            Reply r = node.call("PUT", path, body, headers);
            assertThat(r.status()).as(headers.toString()).isEqualTo(401);
            assertThat(r.body()).doesNotContain(RoutedInternal.TOKEN);
            expected = expected == null ? r.body() : expected;
            assertThat(r.body()).isEqualTo(expected);
        }
        assertThat(node.call("GET", path, null).status()).as("nothing written").isEqualTo(404);
        assertThat(node.call("GET", "/healthz", null, Map.of()).status()).as("health is open").isEqualTo(200);
    }

    @Test
    void merchantPathsAreNotServedOnTheInternalListener() throws Exception {
        assertThat(node.call("POST", "/query/single", "{}").status()).isEqualTo(404);
        assertThat(node.call("GET", "/metrics", null).status()).isEqualTo(404);
        assertThat(json(node.call("GET", "/internal/v1/nothing", null)).get("error").asText()).isEqualTo("not_found");
    }

    @Test
    void aBatchAnswersEachItemInOrderAndWritesTheGoodOnes() throws Exception {
        String items = "[" + card("FK1", "INIT", ",\"mid\":\"" + MID + "\",\"orderNo\":\"K1\"")
                + "," + card("FK1", "SUCCESS", ",\"mid\":\"" + MID + "\",\"orderNo\":\"K1\"")
                + "," + card("FK2", "INIT", ",\"mid\":\"" + MID + "\",\"orderNo\":\"K2\",\"amount\":\"x\"").replace("\"amount\":\"50.00\",", "")
                + "," + card("FK1", "INIT", ",\"mid\":\"" + MID + "\",\"orderNo\":\"K1\"")
                + ",42]";
        Reply r = node.call("POST", "/internal/v1/orders:batch", items);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertThat(results).hasSize(5);
        assertThat(results.findValuesAsText("outcome")).containsExactly("created", "changed", "invalid", "conflict", "invalid");
        assertThat(results.get(2).get("field").asText()).isEqualTo("amount");
        assertThat(json(r).at("/counts/created").asInt()).isEqualTo(1);
        assertThat(payStatus(MID, KEY, "K1")).isEqualTo("1");
        assertThat(node.call("GET", ORDERS + MID + "/K2", null).status()).isEqualTo(404);

        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i <= 1000; i++) {
            tooMany.append(i == 0 ? "" : ",").append(card("FL" + i, "INIT", ",\"mid\":\"" + MID + "\",\"orderNo\":\"L" + i + "\""));
        }
        Reply over = node.call("POST", "/internal/v1/orders:batch", tooMany.append("]").toString());
        assertThat(over.status()).as(over.body().substring(0, Math.min(200, over.body().length()))).isIn(400, 413);
        assertThat(node.call("GET", ORDERS + MID + "/L0", null).status()).as("nothing written").isEqualTo(404);
        assertThat(node.call("POST", "/internal/v1/orders:batch", "{\"mid\":\"x\"}").status()).isEqualTo(400);
        assertThat(node.scrape()).contains("leopard_order_writes_total{outcome=\"created\",source=\"api\"}");
    }
}
