package io.leopard.server.internal;

import static io.leopard.server.demo.DemoFixture.MID;
import static io.leopard.server.demo.DemoFixture.OTHER_MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.internal.RoutedInternal.Reply;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDateTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attempt log and resend through the internal API, routed in memory over the demo fixture: the
 * orders are written through the internal order endpoint with a notify URL set, and attempts are
 * recorded into the table as the deliverer records them (no deliverer runs here).
 */
class NotificationEndpointsTest {
    private static final String ORDERS = "/internal/v1/orders/";
    private static RoutedInternal node;

    @BeforeAll
    static void start() {
        node = RoutedInternal.start();
        Reply set = node.call("PUT", "/merchants/" + MID + "/notify", "{\"url\":\"https://shop.example/notify\"}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static JsonNode json(Reply r) throws Exception {
        return InternalReplies.JSON.readTree(r.body());
    }

    private static void write(String mid, String orderNo, String flowNo, String state) {
        Reply r = node.call("PUT", ORDERS + mid + "/" + orderNo, "{\"flowNo\":\"" + flowNo + "\",\"amount\":\"50.00\",\"type\":\"wechat\","
                + "\"scene\":\"qrcode\",\"state\":\"" + state + "\",\"orderTime\":\"20261202160000\""
                + (state.equals("SUCCESS") ? ",\"tradeNo\":\"T" + flowNo + "\",\"payTime\":\"20261202160005\"" : "") + "}");
        assertThat(r.status()).as(r.body()).isBetween(200, 201);
    }

    private static void attempt(String flowNo, long version, Integer status, String error, String answer) throws Exception {
        try (Connection c = node.database.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO notify_attempts"
                + " (flow_no, version, attempted_at, url, http_status, error, latency_ms, answer) VALUES (?, ?, ?, ?, ?, ?, 7, ?)")) {
            ps.setString(1, flowNo);
            ps.setLong(2, version);
            ps.setObject(3, LocalDateTime.parse("2026-12-03T08:00:00"));
            ps.setString(4, "https://shop.example/notify");
            ps.setObject(5, status, java.sql.Types.INTEGER);
            ps.setString(6, error);
            ps.setString(7, answer);
            ps.executeUpdate();
        }
        try (Connection c = node.database.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notify_deliveries SET attempts = attempts + 1 WHERE flow_no = ? AND version = ?")) {
            ps.setString(1, flowNo);
            ps.setLong(2, version);
            ps.executeUpdate();
        }
    }

    private static void assertError(Reply a, int status, String error, String field) throws Exception {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(json(a).path("error").asText()).as(a.body()).isEqualTo(error);
        assertThat(json(a).path("field").asText(null)).as(a.body()).isEqualTo(field);
    }

    @Test
    void anOrdersNotificationsShowEveryAttemptNewestEventFirst() throws Exception {
        write(MID, "NE1", "FNE1", "INIT");
        write(MID, "NE1", "FNE1", "FAILED");
        attempt("FNE1", 2, 500, null, "oops");
        attempt("FNE1", 2, null, "HttpConnectTimeoutException: timed out", null);
        write(MID, "NE1", "FNE1", "CLOSED");

        Reply r = node.call("GET", ORDERS + MID + "/NE1/notifications", null);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode all = json(r).get("notifications");
        assertThat(all).hasSize(2);
        JsonNode refund = all.get(0);
        assertThat(refund.get("eventId").asText()).isEqualTo("FNE1-3");
        assertThat(refund.get("status").asText()).isEqualTo("CLOSED");
        assertThat(refund.get("state").asText()).isEqualTo("pending");
        assertThat(refund.get("log")).isEmpty();
        JsonNode paid = all.get(1);
        assertThat(paid.get("eventId").asText()).isEqualTo("FNE1-2");
        assertThat(paid.get("mid").asText()).isEqualTo(MID);
        assertThat(paid.get("orderNo").asText()).isEqualTo("NE1");
        assertThat(paid.get("url").asText()).isEqualTo("https://shop.example/notify");
        assertThat(paid.get("attempts").asInt()).isEqualTo(2);
        assertThat(paid.get("nextAttemptAt").asText()).endsWith("Z");
        assertThat(paid.get("createdAt").asText()).endsWith("Z");
        assertThat(paid.get("doneAt").isNull()).isTrue();
        assertThat(paid.get("log").get(0).toString()).isEqualTo("{\"at\":\"2026-12-03T08:00:00Z\",\"httpStatus\":500,"
                + "\"error\":null,\"latencyMs\":7,\"answer\":\"oops\"}");
        assertThat(paid.get("log").get(1).get("httpStatus").isNull()).isTrue();
        assertThat(paid.get("log").get(1).get("error").asText()).isEqualTo("HttpConnectTimeoutException: timed out");
        assertThat(r.body()).as("never a key").doesNotContain(io.leopard.server.demo.DemoFixture.KEY);
    }

    @Test
    void anUnknownOrderIs404AndMalformedPathsAre400() throws Exception {
        assertError(node.call("GET", ORDERS + MID + "/NOSUCH/notifications", null), 404, "unknown_order", "orderNo");
        assertError(node.call("GET", ORDERS + "12345/NE1/notifications", null), 400, "invalid_field", "mid");
        assertError(node.call("GET", ORDERS + MID + "/bad%20no/notifications", null), 400, "invalid_field", "orderNo");
        write(OTHER_MID, "NE2", "FNE2", "SUCCESS");
        Reply none = node.call("GET", ORDERS + OTHER_MID + "/NE2/notifications", null);
        assertThat(none.body()).as("no URL, no delivery").isEqualTo("{\"notifications\":[]}");
    }

    @Test
    void theMerchantListingFiltersFailuresAndLimits() throws Exception {
        write(MID, "NL1", "FNL1", "SUCCESS");
        attempt("FNL1", 1, 200, null, "FAIL");
        write(MID, "NL2", "FNL2", "SUCCESS");
        Reply all = node.call("GET", "/merchants/" + MID + "/notifications?limit=1000", null);
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(json(all).get("notifications").findValuesAsText("eventId")).contains("FNL1-1", "FNL2-1");
        Reply failed = node.call("GET", "/merchants/" + MID + "/notifications?failed=true", null);
        assertThat(json(failed).get("notifications").findValuesAsText("eventId")).contains("FNL1-1").doesNotContain("FNL2-1");
        JsonNode nl1 = json(failed).get("notifications").findParents("eventId").stream()
                .filter(n -> n.get("eventId").asText().equals("FNL1-1")).findFirst().orElseThrow();
        assertThat(nl1.get("log")).as("the last attempt").hasSize(1);
        assertThat(nl1.get("log").get(0).get("answer").asText()).isEqualTo("FAIL");
        assertThat(json(node.call("GET", "/merchants/" + MID + "/notifications?limit=1", null)).get("notifications")).hasSize(1);

        assertError(node.call("GET", "/merchants/100000000000999/notifications", null), 404, "unknown_merchant", "mid");
        assertError(node.call("GET", "/merchants/" + MID + "/notifications?limit=0", null), 400, "invalid_field", "limit");
        assertError(node.call("GET", "/merchants/" + MID + "/notifications?limit=1001", null), 400, "invalid_field", "limit");
        assertError(node.call("GET", "/merchants/" + MID + "/notifications?limit=x", null), 400, "invalid_field", "limit");
        assertError(node.call("GET", "/merchants/" + MID + "/notifications?failed=yes", null), 400, "invalid_field", "failed");
        assertError(node.call("GET", "/merchants/" + MID + "/notifications?state=x", null), 400, "unknown_parameter", "state");
    }

    @Test
    void resendIs202WithTheDeliveryPendingAgain() throws Exception {
        write(MID, "NR1", "FNR1", "SUCCESS");
        attempt("FNR1", 1, 503, null, "busy");
        Reply r = node.call("POST", "/internal/v1/notifications/FNR1-1/resend", null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        JsonNode d = json(r);
        assertThat(d.get("eventId").asText()).isEqualTo("FNR1-1");
        assertThat(d.get("state").asText()).isEqualTo("pending");
        assertThat(d.get("attempts").asInt()).as("the schedule afresh").isZero();
        assertThat(d.get("url").asText()).isEqualTo("https://shop.example/notify");
        assertThat(node.call("POST", "/internal/v1/notifications/FNR1-1/resend", "{}").status()).as("an empty object").isEqualTo(202);

        assertError(node.call("POST", "/internal/v1/notifications/FNR1-9/resend", null), 404, "unknown_event", "eventId");
        assertError(node.call("POST", "/internal/v1/notifications/FNR1/resend", null), 400, "invalid_field", "eventId");
        assertError(node.call("POST", "/internal/v1/notifications/FNR1-0/resend", null), 400, "invalid_field", "eventId");
        assertError(node.call("POST", "/internal/v1/notifications/FNR1-1/resend", "{\"now\":true}"), 400, "unknown_field", "now");
        write(MID, "NR2", "FNR2", "INIT");
        assertError(node.call("POST", "/internal/v1/notifications/FNR2-1/resend", null), 409, "not_notified", "eventId");
        write(OTHER_MID, "NR3", "FNR3", "SUCCESS");
        Reply noUrl = node.call("POST", "/internal/v1/notifications/FNR3-1/resend", null);
        assertError(noUrl, 409, "no_notify_url", "eventId");
        assertThat(json(noUrl).get("message").asText()).startsWith("merchant " + OTHER_MID + " has no notify URL");
    }
}
