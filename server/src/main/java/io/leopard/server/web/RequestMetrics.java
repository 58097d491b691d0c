package io.leopard.server.web;

import io.leopard.server.web.connection.ConnectionGuard;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters for {@code GET /metrics} (Prometheus text): one timer per endpoint and
 * outcome ({@code leopard_requests_seconds}), plus JVM memory, threads and CPU. Timers are cached
 * per tag pair so a request does not build meter ids.
 */
public final class RequestMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /**
     * Records one request. {@code endpoint} must come from a closed set (known paths or "other")
     * and {@code outcome} from the protocol's codes, so the number of series stays bounded.
     */
    void record(String endpoint, String outcome, long nanos) {
        timers.computeIfAbsent(endpoint + ' ' + outcome, k -> Timer.builder("leopard.requests")
                        .description("Requests by endpoint and outcome (errCode, or SUCCESS / ORDER_NOT_EXIST)")
                        .tag("endpoint", endpoint).tag("outcome", outcome)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Exports {@code guard}'s counts under its listener's name: open connections, and how many were
     * refused, made room from, or timed out (an operator's first sign of a flood or of slow clients).
     */
    public void watch(ConnectionGuard guard) {
        String listener = guard.listener();
        Gauge.builder("leopard.connections.open", guard, ConnectionGuard::open)
                .description("Open connections of the listener").tag("listener", listener).register(registry);
        FunctionCounter.builder("leopard.connections.refused", guard, ConnectionGuard::refused)
                .description("Connections closed at once: the listener or their address was full and nothing could make room")
                .tag("listener", listener).register(registry);
        FunctionCounter.builder("leopard.connections.evicted", guard, ConnectionGuard::evicted)
                .description("Connections closed to make room for new ones").tag("listener", listener).register(registry);
        FunctionCounter.builder("leopard.connections.timed.out", guard, ConnectionGuard::timedOut)
                .description("Connections closed because a request, or the wait for the next one, took too long")
                .tag("listener", listener).register(registry);
    }

    /** Where other components (order writes, the event consumer) register their own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    byte[] scrape() {
        return registry.scrape().getBytes(StandardCharsets.UTF_8);
    }
}
