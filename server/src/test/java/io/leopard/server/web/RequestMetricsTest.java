package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.web.connection.ConnectionGuard;
import io.leopard.server.web.connection.ConnectionLimits;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What {@code /metrics} says: requests by endpoint and outcome, and each listener's connection counts. */
class RequestMetricsTest {

    @Test
    void requestsAreCountedByEndpointAndOutcome() {
        RequestMetrics metrics = new RequestMetrics();
        metrics.record("/query/single", "SUCCESS", 1_000_000);
        metrics.record("/query/single", "SUCCESS", 3_000_000);
        metrics.record("other", "NOT_FOUND", 10_000);
        String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
        assertThat(scrape).contains("leopard_requests_seconds_count{endpoint=\"/query/single\",outcome=\"SUCCESS\"} 2")
                .contains("leopard_requests_seconds_count{endpoint=\"other\",outcome=\"NOT_FOUND\"} 1")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void aListenersConnectionsAreCountedAsItsGuardSeesThem() {
        AtomicLong now = new AtomicLong();
        ConnectionGuard guard = new ConnectionGuard("https", new ConnectionLimits(1, 1, Duration.ofSeconds(75), Duration.ofSeconds(10)),
                now::get, a -> false);
        RequestMetrics metrics = new RequestMetrics();
        metrics.watch(guard);
        assertThat(guard.admit(new InetSocketAddress("203.0.113.7", 40001), () -> { })).isNotNull();
        assertThat(guard.admit(new InetSocketAddress("203.0.113.7", 40002), () -> { })).as("over the cap, nothing to make room").isNull();
        String scrape = new String(metrics.scrape(), StandardCharsets.UTF_8);
        assertThat(scrape).contains("leopard_connections_open{listener=\"https\"} 1.0")
                .contains("leopard_connections_refused_total{listener=\"https\"} 1.0")
                .contains("leopard_connections_evicted_total{listener=\"https\"} 0.0")
                .contains("leopard_connections_timed_out_total{listener=\"https\"} 0.0");
        guard.close();
    }
}
