package io.leopard.server.sync;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sync meters (docs/OPERATIONS.md): {@code leopard.sync.calls} by channel, kind (query,
 * cancel), trigger (query, sweeper) and outcome; {@code leopard.sync.shared}, queries that got
 * another query's channel answer (single-flight savings); {@code leopard.sync.skipped} by reason,
 * queries that answered the stored state without asking. The sweeper registers its own lag gauge.
 */
final class SyncMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    private final Counter shared;

    SyncMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.shared = Counter.builder("leopard.sync.shared")
                .description("Queries answered with a channel call another query had started (single-flight)")
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    void call(String channel, String kind, String trigger, String outcome) {
        calls.computeIfAbsent(channel + '|' + kind + '|' + trigger + '|' + outcome, k -> Counter.builder("leopard.sync.calls")
                .description("Channel calls of order sync, by channel, kind, trigger and outcome")
                .tag("channel", channel).tag("kind", kind).tag("trigger", trigger).tag("outcome", outcome)
                .register(registry)).increment();
    }

    void shared() {
        shared.increment();
    }

    /** A query that answered the stored state of a pending order without a channel call, and why. */
    void skipped(String reason) {
        skipped.computeIfAbsent(reason, r -> Counter.builder("leopard.sync.skipped")
                .description("Pending orders answered from the store without asking the channel, by reason")
                .tag("reason", r).register(registry)).increment();
    }
}
