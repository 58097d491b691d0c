package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /query/events} through the routing table, under a path prefix, in memory: routed, POST only, signed. */
class EventsRoutingTest {
    private static RoutedDemo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(Map.of("path-prefix", "/v2", "feed.settle", "0s"));
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    @Test
    void theFeedIsServedBelowThePrefixSignedWithItsFieldsInOrder() throws Exception {
        HttpResponse<String> res = demo.postSigned("/query/events", Map.of("mid", MID, "noise", "routing1", "limit", "3"), KEY);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        Map<String, String> f = IndependentVerifier.fields(res.body());
        assertThat(IndependentVerifier.verify(f, KEY, "MD5")).as(res.body()).isTrue();
        assertThat(List.copyOf(f.keySet())).containsExactly("code", "msg", "resultCode", "mid", "noise", "events", "next",
                "hasMore", "reqNoise", "sign");
        assertThat(f.get("events")).startsWith("[{\"eventId\":\"").contains("\"orderNo\":");
        assertThat(f.get("next")).matches("c[1-9][0-9]*");
        assertThat(f.get("hasMore")).isEqualTo("true"); // the demo fixture has more than three settled orders
    }

    @Test
    void onlyPostBelowThePrefix() throws Exception {
        HttpResponse<String> get = demo.send("GET", "/v2/query/events");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(demo.send("POST", "/query/events").statusCode()).isEqualTo(404);
    }
}
