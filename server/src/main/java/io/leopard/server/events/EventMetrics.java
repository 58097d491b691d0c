package io.leopard.server.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What the consumer tells {@code /metrics}: events by what became of them, dead letters by why,
 * the queue's depth and the consumer's lag. Every tag comes from a closed set.
 */
final class EventMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettered = new ConcurrentHashMap<>();
    private final AtomicLong depth = new AtomicLong(-1);
    /** Epoch millis of the AMQP timestamp of the last event applied; 0 when none carried one. */
    private final AtomicLong lastTimestamp = new AtomicLong();

    EventMetrics(MeterRegistry registry, String queue, LongSupplier nowMillis) {
        this.registry = registry;
        Gauge.builder("leopard.events.queue.depth", depth, AtomicLong::get)
                .description("Events waiting in the queue (ready, not yet delivered), asked every few seconds; -1 when unknown")
                .tag("queue", queue).register(registry);
        Gauge.builder("leopard.events.lag.seconds", lastTimestamp, t -> t.get() == 0 ? 0 : Math.max(0, nowMillis.getAsLong() - t.get()) / 1000.0)
                .description("Seconds between the publish time (AMQP timestamp) of the last event applied and now")
                .tag("queue", queue).register(registry);
    }

    /** An event acknowledged: created, changed, unchanged, late or dead_lettered. */
    void consumed(String outcome) {
        consumed.computeIfAbsent(outcome, o -> Counter.builder("leopard.events.consumed")
                .description("Order events consumed, by outcome (created, changed, unchanged, late, dead_lettered)")
                .tag("outcome", o).register(registry)).increment();
    }

    /** An event put into the dead-letter queue, by why (invalid, conflict, unknown_merchant, malformed, too_large, refused). */
    void deadLettered(String why) {
        deadLettered.computeIfAbsent(why, w -> Counter.builder("leopard.events.dead.lettered")
                .description("Order events put into the dead-letter queue, by why").tag("reason", w).register(registry)).increment();
        consumed("dead_lettered");
    }

    void depth(long messages) {
        depth.set(messages);
    }

    void applied(java.util.Date timestamp) {
        if (timestamp != null) {
            lastTimestamp.set(timestamp.getTime());
        }
    }
}
