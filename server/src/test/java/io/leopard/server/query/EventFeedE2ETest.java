package io.leopard.server.query;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /query/events} on a real server: orders written through the internal API show up in
 * their merchant's feed only, once per notified change, in order, as the order was after it;
 * cursors continue where the last page ended; bad cursors, limits and signatures get the
 * protocol's errors; a change younger than the settle window is not listed yet.
 */
class EventFeedE2ETest {
    private static final String TOKEN = "e2e-feed-token-0123456789abcdef";

    private static Map<String, String> config(String settle) {
        return Map.of("internal.tokens", TOKEN, "internal.port", "0", "feed.settle", settle,
                "sync.sweeper.enabled", "false", "notify.enabled", "false");
    }

    @Test
    void eachMerchantReadsItsOwnChangesInOrderAndContinuesFromItsCursor() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(config("0s"))) {
            String start = drain(node, MID, KEY);
            String start2 = drain(node, MID2, KEY2);

            // created pending: recorded, not an event; then paid: one event; paid again: nothing
            put(node, MID, "FEED-1", "{\"flowNo\":\"FFEED1\",\"amount\":\"18.80\",\"type\":\"wechat\",\"scene\":\"qrcode\","
                    + "\"state\":\"INIT\",\"orderTime\":\"20261203160000\"}", 201);
            put(node, MID, "FEED-1", "{\"flowNo\":\"FFEED1\",\"amount\":\"18.80\",\"type\":\"wechat\",\"scene\":\"qrcode\","
                    + "\"state\":\"SUCCESS\",\"tradeNo\":\"T1\",\"payTime\":\"20261203160105\",\"orderTime\":\"20261203160000\"}", 200);
            // the other merchant, the same order number: never in the first one's feed
            put(node, MID2, "FEED-1", "{\"flowNo\":\"FFEED2\",\"amount\":\"1.00\",\"type\":\"alipay\",\"scene\":\"qrcode\","
                    + "\"state\":\"FAILED\",\"payTime\":\"20261203160200\",\"orderTime\":\"20261203160000\"}", 201);
            put(node, MID, "FEED-2", "{\"flowNo\":\"FFEED3\",\"amount\":\"5230.00\",\"type\":\"alipay\",\"scene\":\"qrcode\","
                    + "\"state\":\"CLOSED\",\"orderTime\":\"20261203160000\"}", 201);

            Map<String, String> page = events(node, MID, KEY, Map.of("after", start, "limit", "1"));
            List<Map<String, String>> first = array(page.get("events"));
            assertThat(first).hasSize(1);
            assertThat(first.get(0)).containsExactly(Map.entry("eventId", "FFEED1-2"), Map.entry("orderNo", "FEED-1"),
                    Map.entry("flowNo", "FFEED1"), Map.entry("tradeNo", "T1"), Map.entry("amount", "18.80"),
                    Map.entry("type", "wechat"), Map.entry("status", "1"), Map.entry("orderTime", "20261203160000"),
                    Map.entry("payTime", "20261203160105"), Map.entry("changeTime", first.get(0).get("changeTime")));
            assertThat(page.get("events")).contains("\"amount\":18.80").doesNotContain(" ");
            assertThat(page).containsEntry("hasMore", "true").containsEntry("mid", MID);

            Map<String, String> second = events(node, MID, KEY, Map.of("after", page.get("next")));
            assertThat(array(second.get("events"))).extracting(e -> e.get("eventId")).containsExactly("FFEED3-1");
            assertThat(array(second.get("events")).get(0)).containsEntry("status", "3").doesNotContainKeys("tradeNo", "payTime");
            assertThat(second).containsEntry("hasMore", "false");

            Map<String, String> nothing = events(node, MID, KEY, Map.of("after", second.get("next")));
            assertThat(nothing).containsEntry("events", "[]").containsEntry("next", second.get("next"))
                    .containsEntry("hasMore", "false");

            List<Map<String, String>> other = array(events(node, MID2, KEY2, Map.of("after", start2)).get("events"));
            assertThat(other).extracting(e -> e.get("eventId")).containsExactly("FFEED2-1");
            assertThat(other.get(0)).containsEntry("status", "2").containsEntry("amount", "1.00");
            // a cursor is a position, not a permission: another merchant's cursor reads only one's own
            assertThat(array(events(node, MID2, KEY2, Map.of("after", start, "limit", "100")).get("events")))
                    .extracting(e -> e.get("eventId")).contains("FFEED2-1").doesNotContain("FFEED1-2", "FFEED3-1");
        }
    }

    @Test
    void theFirstPageStartsAtTheBeginningAndPagesCoverEveryEventOnce() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(config("0s"))) {
            Map<String, String> all = events(node, MID, KEY, Map.of("limit", "100"));
            List<String> ids = new ArrayList<>();
            array(all.get("events")).forEach(e -> ids.add(e.get("eventId")));
            assertThat(ids).isNotEmpty().doesNotHaveDuplicates(); // the demo fixture's settled orders

            List<String> paged = new ArrayList<>();
            String after = null;
            for (int i = 0; i < 100; i++) {
                Map<String, String> params = new HashMap<>(Map.of("limit", "2"));
                if (after != null) {
                    params.put("after", after);
                }
                Map<String, String> page = events(node, MID, KEY, params);
                array(page.get("events")).forEach(e -> paged.add(e.get("eventId")));
                after = page.get("next");
                if (page.get("hasMore").equals("false")) {
                    break;
                }
            }
            assertThat(paged).containsExactlyElementsOf(ids);
        }
    }

    @Test
    void aChangeYoungerThanTheSettleWindowWaits() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(config("1h"))) {
            put(node, MID, "FEED-3", "{\"flowNo\":\"FFEED4\",\"amount\":\"2.00\",\"type\":\"wechat\",\"scene\":\"qrcode\","
                    + "\"state\":\"SUCCESS\",\"tradeNo\":\"T4\",\"payTime\":\"20261203160105\",\"orderTime\":\"20261203160000\"}", 201);
            Map<String, String> page = events(node, MID, KEY, Map.of("limit", "100"));
            assertThat(page.get("events")).doesNotContain("FFEED4");
            assertThat(page).containsEntry("next", "c0").containsEntry("events", "[]");
        }
    }

    @Test
    void badCursorsLimitsAndSignaturesGetTheProtocolsErrors() throws Exception {
        try (LiveLeopard node = LiveLeopard.startWithoutRateLimits(config("0s"))) {
            for (Map<String, String> bad : List.of(Map.of("after", "12"), Map.of("after", "c-1"), Map.of("after", "c01"),
                    Map.of("after", "c99999999999999999999"), Map.of("limit", "0"), Map.of("limit", "101"), Map.of("limit", "x"))) {
                Map<String, String> params = new LinkedHashMap<>(Map.of("mid", MID, "noise", "n12345"));
                params.putAll(bad);
                HttpResponse<String> r = node.postSigned("/query/events", params, KEY);
                assertThat(r.statusCode()).as(bad.toString()).isEqualTo(200);
                assertThat(IndependentVerifier.fields(r.body())).as(bad.toString())
                        .containsEntry("code", "FAIL").containsEntry("errCode", "PARAM_ERROR").doesNotContainKey("sign");
            }
            HttpResponse<String> wrongKey = node.postSigned("/query/events", Map.of("mid", MID, "noise", "n12345"), KEY2);
            assertThat(IndependentVerifier.fields(wrongKey.body())).containsEntry("errCode", "SIGN_ERROR");
            HttpResponse<String> noSign = node.post("/query/events", "application/x-www-form-urlencoded", "mid=" + MID + "&noise=n1");
            assertThat(IndependentVerifier.fields(noSign.body())).containsEntry("errCode", "PARAM_ERROR");
            HttpResponse<String> sha = node.postSigned("/query/events", Map.of("mid", MID, "noise", "n12345",
                    "signType", "HMAC-SHA256"), KEY);
            Map<String, String> shaFields = IndependentVerifier.fields(sha.body());
            assertThat(IndependentVerifier.verify(shaFields, KEY, "HMAC-SHA256")).as(sha.body()).isTrue();
            assertThat(shaFields).containsEntry("signType", "HMAC-SHA256");
        }
    }

    /** Reads the merchant's whole feed and answers the cursor after its last event. */
    private static String drain(LiveLeopard node, String mid, String key) throws Exception {
        Map<String, String> page = events(node, mid, key, Map.of("limit", "100"));
        while (page.get("hasMore").equals("true")) {
            page = events(node, mid, key, Map.of("limit", "100", "after", page.get("next")));
        }
        return page.get("next");
    }

    private static Map<String, String> events(LiveLeopard node, String mid, String key, Map<String, String> extra) throws Exception {
        Map<String, String> params = new LinkedHashMap<>(Map.of("mid", mid, "noise", "n12345"));
        params.putAll(extra);
        HttpResponse<String> r = node.postSigned("/query/events", params, key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, String> fields = IndependentVerifier.fields(r.body());
        assertThat(fields).as(r.body()).containsEntry("code", "SUCCESS").containsEntry("resultCode", "SUCCESS");
        assertThat(IndependentVerifier.verify(fields, key, "MD5")).as(r.body()).isTrue();
        return fields;
    }

    /** The events string: a compact array of flat objects, numbers by their literal text. */
    static List<Map<String, String>> array(String json) throws Exception {
        List<Map<String, String>> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            assertThat(p.nextToken()).isEqualTo(JsonToken.START_ARRAY);
            while (p.nextToken() == JsonToken.START_OBJECT) {
                Map<String, String> e = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    e.put(name, p.getText());
                }
                out.add(e);
            }
        }
        return out;
    }

    private static void put(LiveLeopard node, String mid, String orderNo, String json, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(node.server.internalBaseUrl() + "/internal/v1/orders/" + mid + "/" + orderNo))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> r = node.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }
}
