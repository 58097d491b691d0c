package io.leopard.server.query;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How queries are read and answered: the most orders one batch may ask, the platform's time zone
 * for times on the wire, how old a change must be before the event feed lists it (see
 * {@link EventFeed}), and how many batches are worked on at once (see {@link BatchGate}).
 */
public record QuerySettings(int maxBatch, ZoneId zone, Duration eventsSettle, int batchConcurrency) {
    /** The feed's settle window when none is configured. */
    public static final Duration DEFAULT_EVENTS_SETTLE = Duration.ofSeconds(5);

    public QuerySettings {
        if (batchConcurrency < 0) {
            throw new IllegalArgumentException("batchConcurrency < 0: " + batchConcurrency);
        }
    }

    /** With the default settle window and batch concurrency, the latter as on the embedded database. */
    public QuerySettings(int maxBatch, ZoneId zone) {
        this(maxBatch, zone, DEFAULT_EVENTS_SETTLE, defaultBatchConcurrency(true));
    }

    /**
     * Batches at once when {@code query.batch-concurrency} is empty; 0 is no bound. On the embedded
     * database a batch's look-ups are the server's own CPU, so as many as there are cores: more only
     * queue for a carrier thread half done. On a database server a batch spends most of its time
     * waiting for the database's answer, and a bound of the pool's size cost T6 17 % of its rps in a
     * run on a busy machine (docs/PERFORMANCE.md, "The batch tail"): no bound there.
     */
    public static int defaultBatchConcurrency(boolean embedded) {
        return embedded ? Runtime.getRuntime().availableProcessors() : 0;
    }
}
