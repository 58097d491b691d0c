package io.leopard.server.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.protocol.ParamRules;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.WriteResult;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the events the consumer receives, in the order they came: a batch at a time (what has
 * arrived, up to {@link #MAX_BATCH}), written in one call to {@link OrderWrites} (each event on its
 * own), then each event acknowledged, or first copied to the dead-letter queue when it cannot be
 * applied. Nothing is acknowledged before its write committed. While the database is away the batch
 * waits and is tried again (the events stay unacknowledged in the broker, bounded by the prefetch);
 * a batch the database keeps refusing while it answers is taken apart, and the one event it refuses
 * on its own is dead-lettered, so that no event blocks the queue for good.
 */
final class EventWorker implements Runnable {
    /** Events written in one call (what has arrived, bounded by the prefetch): one commit shared by up to a write's limit. */
    static final int MAX_BATCH = OrderWrites.MAX_BATCH;
    private static final Logger LOG = LoggerFactory.getLogger(EventWorker.class);
    private static final int REFUSALS_BEFORE_SPLITTING = 3;

    /** Acknowledgements, on the channel the events came on. */
    interface Acks {
        /** Whether {@code r} came on the connection in use (else the broker delivers it again, whatever is done with it). */
        boolean current(Received r);

        /** Acknowledges {@code r} (nothing when it came on an earlier connection). */
        void ack(Received r);

        /** Gives {@code r} back to the broker for a later delivery. */
        void requeue(Received r);
    }

    /** Waits between tries; a test's clock can make it instant. */
    interface Pause {
        /** @return false when the wait was cut short because the worker is stopping */
        boolean pause(Duration d);
    }

    private final BlockingQueue<Received> inbox;
    private final OrderWrites writes;
    private final Acks acks;
    private final DeadLetterSink deadLetters;
    private final EventMetrics metrics;
    private final BooleanSupplier databaseReachable;
    private final Pause pause;
    private volatile boolean stopping;

    /** Where an event that cannot be applied goes; true once it is safely there. */
    interface DeadLetterSink {
        boolean put(Received r, String outcome, String reason);
    }

    EventWorker(BlockingQueue<Received> inbox, OrderWrites writes, Acks acks, DeadLetterSink deadLetters, EventMetrics metrics,
                BooleanSupplier databaseReachable, Pause pause) {
        this.inbox = inbox;
        this.writes = writes;
        this.acks = acks;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.databaseReachable = databaseReachable;
        this.pause = pause;
    }

    @Override
    public void run() {
        List<Received> batch = new ArrayList<>(MAX_BATCH);
        while (!stopping) {
            try {
                Received first = inbox.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                inbox.drainTo(batch, MAX_BATCH - 1);
                apply(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // never let one batch end the consumer: its events go back to the broker, after a
                // pause so that whatever failed is not met again at once
                LOG.error("order events: a batch of {} failed unexpectedly; given back to the broker", batch.size(), e);
                pause.pause(Duration.ofSeconds(1));
                batch.forEach(acks::requeue);
            } finally {
                batch.clear();
            }
        }
    }

    void stop() {
        stopping = true;
    }

    /** Applies {@code batch}: each event acknowledged or dead-lettered, or left for redelivery when stopping. */
    void apply(List<Received> batch) {
        List<JsonNode> orders = new ArrayList<>(batch.size());
        List<Received> ofOrders = new ArrayList<>(batch.size());
        for (Received r : batch) {
            try {
                orders.add(EventBody.parse(r.body()));
                ofOrders.add(r);
            } catch (EventBody.Refused refused) {
                deadLetter(r, refused.kind, refused.getMessage());
            }
        }
        if (!orders.isEmpty()) {
            write(orders, ofOrders);
        }
    }

    private void write(List<JsonNode> orders, List<Received> events) {
        List<WriteResult> results = null;
        int refusals = 0;
        for (int attempt = 1; results == null; attempt++) {
            if (stopping) {
                return; // unacknowledged: the broker delivers them again after the restart
            }
            try {
                results = writes.writeAll(orders, WriteSource.EVENT);
            } catch (StoreException e) {
                // only a refusal of the data itself (a value the database will never take) may end in
                // the dead-letter queue; an outage, a timeout or a busy database is waited out
                boolean refusedData = databaseReachable.getAsBoolean() && isDataRefusal(e);
                refusals = refusedData ? refusals + 1 : 0;
                if (refusals >= REFUSALS_BEFORE_SPLITTING) {
                    if (orders.size() == 1) {
                        deadLetter(events.get(0), "refused", "the database refused this event: " + e.getMessage());
                        return;
                    }
                    for (int i = 0; i < orders.size(); i++) {
                        write(List.of(orders.get(i)), List.of(events.get(i)));
                    }
                    return;
                }
                if (attempt == 1 || attempt % 20 == 0) {
                    LOG.warn("order events: {} events wait for the database ({}); trying again", orders.size(), e.getMessage());
                }
                pause.pause(Duration.ofMillis(Math.min(5_000, 100L << Math.min(attempt, 6))));
            }
        }
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            Received event = events.get(i);
            switch (r.outcome()) {
                case CREATED, CHANGED, UNCHANGED, LATE -> {
                    acks.ack(event);
                    metrics.consumed(r.outcome().wireName());
                    metrics.applied(event.properties() == null ? null : event.properties().getTimestamp());
                }
                default -> deadLetter(event, r.outcome().wireName(), (r.field() == null ? "" : r.field() + ": ") + r.reason());
            }
        }
    }

    /** The event's {@code mid} or {@code orderNo} for the log, when the body is an object that has it (printable, short). */
    private static String idOf(Received r, String field) {
        try {
            JsonNode n = EventBody.parse(r.body()).get(field);
            return n == null || !n.isTextual() ? "-" : ParamRules.printable(n.textValue().length() > 40 ? n.textValue().substring(0, 40) : n.textValue());
        } catch (EventBody.Refused e) {
            return "-";
        }
    }

    /**
     * Whether the database refused the data itself (SQLSTATE class 22, data exception, or 23,
     * integrity violation) rather than failing: writing the same event again would fail the same way.
     */
    static boolean isDataRefusal(StoreException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
        }
        return false;
    }

    /** Copies {@code r} to the dead-letter queue, then acknowledges it; gives it back when the copy was not confirmed. */
    private void deadLetter(Received r, String outcome, String reason) {
        if (!acks.current(r)) {
            return; // came on a lost connection: the broker delivers it again
        }
        if (deadLetters.put(r, outcome, reason)) {
            acks.ack(r);
            metrics.deadLettered(outcome);
            LOG.warn("order event dead-lettered ({}): mid={} orderNo={}: {}", outcome, idOf(r, "mid"), idOf(r, "orderNo"),
                    ParamRules.printable(reason));
        } else {
            LOG.warn("order event could not be dead-lettered (no confirm from the broker); it will be delivered again");
            pause.pause(Duration.ofSeconds(1)); // not at once: whatever kept the broker from confirming may last
            acks.requeue(r);
        }
    }
}
