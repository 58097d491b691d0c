package io.leopard.server.sync;

import io.leopard.protocol.OrderState;
import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.StoredOrder;
import io.leopard.server.store.StoreException;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background sync: every second, claims the pending orders that are due (see
 * {@link SyncSchedule}), asks their channels about them with at most
 * {@code sync.sweeper.concurrency} calls at once, writes what the channels said, and schedules
 * each again; at its expiry an order is closed (card-present: reversed) at the channel and then
 * locally. Several nodes sweep the same database without doing an order twice (see
 * {@link SyncStore#claimDue}); an order claimed by a node that dies is taken up again a minute later.
 *
 * <p>A sweep also takes the order's read-time lease, so a cashier polling an order and the sweeper
 * together still ask the channel once per interval.
 */
public final class Sweeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
    static final String TRIGGER = "sweeper";
    /** How long a claimed order is held by this node: should it die meanwhile, another takes it up then. */
    static final Duration HOLD = Duration.ofMinutes(1);
    /** The background calls may wait longer than a query, which has a merchant waiting. */
    static final Duration MIN_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final OrderStore orders;
    private final ChannelAccounts accounts;
    private final SyncApplier applier;
    private final SyncStore store;
    private final ChannelGuard guard;
    private final SyncMetrics metrics;
    private final SyncSettings settings;
    private final SyncSchedule schedule;
    private final Clock clock;
    private final String node;
    private final ExecutorService workers;
    private final AtomicLong lagMillis = new AtomicLong();
    private ScheduledExecutorService timer;

    Sweeper(OrderStore orders, ChannelAccounts accounts, SyncApplier applier, SyncStore store, ChannelGuard guard,
            SyncMetrics metrics, SyncSettings settings, Clock clock, String node) {
        this.orders = orders;
        this.accounts = accounts;
        this.applier = applier;
        this.store = store;
        this.guard = guard;
        this.metrics = metrics;
        this.settings = settings;
        this.schedule = new SyncSchedule(settings);
        this.clock = clock;
        this.node = node;
        this.workers = Executors.newFixedThreadPool(settings.sweeperConcurrency(), Thread.ofPlatform().daemon()
                .name("leopard-sweep-", 1).factory());
        Gauge.builder("leopard.sync.sweeper.lag", lagMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds")
                .description("How late the most overdue pending order's background sync is (0: none overdue)")
                .register(metrics.registry());
    }

    /** Sweeps every second from now on, on a daemon thread. */
    public Sweeper start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("leopard-sweeper").factory());
        timer.scheduleWithFixedDelay(this::sweepQuietly, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    private void sweepQuietly() {
        try {
            while (sweep() == batchSize()) {
                // a full batch: there may be more due at once
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } catch (StoreException e) {
            LOG.warn("sweep skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("sweep failed", e);
        }
    }

    private int batchSize() {
        return settings.sweeperConcurrency() * 4;
    }

    /**
     * One sweep: claims the orders due now and syncs them, waiting until all are done.
     *
     * @return how many orders were claimed
     */
    int sweep() {
        Instant now = clock.instant();
        Instant earliest = store.earliestDue();
        lagMillis.set(earliest == null ? 0 : Math.max(0, now.toEpochMilli() - earliest.toEpochMilli()));
        List<SyncStore.Due> due = store.claimDue(now, batchSize(), now.plus(HOLD));
        List<Future<?>> running = new ArrayList<>(due.size());
        for (SyncStore.Due d : due) {
            running.add(workers.submit(() -> syncQuietly(d)));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("sweep of an order failed", e.getCause());
            }
        }
        return due.size();
    }

    private void syncQuietly(SyncStore.Due due) {
        try {
            sync(due);
        } catch (StoreException e) {
            LOG.warn("sweep of flowNo {} failed, it is taken up again in {} s: {}", due.flowNo(), HOLD.toSeconds(), e.getMessage());
        }
    }

    /** Syncs one claimed order and puts it back on the schedule (or takes it off). */
    void sync(SyncStore.Due due) {
        Optional<StoredOrder> found = orders.findStoredByFlow(due.flowNo());
        if (found.isEmpty() || found.get().order().state() != OrderState.INIT) {
            store.unschedule(due.flowNo());
            return;
        }
        StoredOrder stored = found.get();
        Order order = stored.order();
        Instant now = clock.instant();
        Instant first = schedule.first(stored);
        if (due.attempts() == 0 && now.isBefore(first)) {
            store.reschedule(order.flowNo(), first, false); // newly written: its first turn is not yet
            return;
        }
        Instant expiry = schedule.expiry(stored);
        Optional<ChannelAccounts.Account> account = accounts.forOrder(order.mid(), order.type());
        if (account.isEmpty()) {
            // no channel for it (yet): the platform's core is its only source; look again later, never close it blindly
            if (now.isBefore(expiry)) {
                store.reschedule(order.flowNo(), schedule.next(stored, due.attempts() + 1, now), false);
            } else {
                store.unschedule(order.flowNo());
            }
            return;
        }
        if (!now.isBefore(schedule.givesUp(stored))) {
            // a day past its expiry and still no usable answer: stop asking, and say so
            store.unschedule(order.flowNo());
            applier.alert(SyncAlerts.Kind.GAVE_UP, SyncOrders.of(order, "sweep-" + node), account.get().channel().name(),
                    "no usable answer from the channel by a day after the order's expiry (" + due.attempts()
                            + " attempts); the order stays pending");
            return;
        }
        // held as long as this sweep's calls may take (a query, then a cancel), so that no query asks meanwhile
        Instant leaseUntil = now.plus(max(settings.minInterval(), callTimeout().multipliedBy(2)));
        boolean expired = !now.isBefore(expiry);
        if (expired) {
            // at its expiry the sweeper goes first: polls, which never cancel, must not keep an order open for ever
            store.takeLease(order.flowNo(), leaseUntil, node);
        } else if (!store.claimLease(order.flowNo(), now, leaseUntil, node)) {
            store.reschedule(order.flowNo(), now.plus(settings.minInterval()), false); // a query is asking right now
            return;
        }
        try {
            sweep(stored, due, account.get(), now, expiry);
        } finally {
            store.shortenLease(order.flowNo(), node, now.plus(settings.minInterval()));
        }
    }

    /** Asks the channel about a claimed order under its lease, and schedules it again (or expires it). */
    private void sweep(StoredOrder stored, SyncStore.Due due, ChannelAccounts.Account account, Instant now, Instant expiry) {
        Order order = stored.order();
        ChannelOrder asked = SyncOrders.of(order, "sweep-" + node);
        Order after = query(order, asked, account);
        if (after == null) {
            store.reschedule(order.flowNo(), schedule.retry(stored, due.attempts() + 1, now), true);
            return;
        }
        if (after.state() != OrderState.INIT) {
            return; // the write took it off the schedule
        }
        if (now.isBefore(expiry)) {
            store.reschedule(order.flowNo(), schedule.next(stored, due.attempts() + 1, now), true);
            return;
        }
        expire(stored, due.attempts(), asked, account, now);
    }

    /** The order after asking its channel, {@code null} when the channel gave no usable answer. */
    private Order query(Order order, ChannelOrder asked, ChannelAccounts.Account account) {
        String channel = account.channel().name();
        try {
            ChannelReply reply = guard.call(channel, asked.mid(), () -> account.channel().query(asked, account.credentials(), callTimeout()));
            metrics.call(channel, "query", TRIGGER, SyncOrders.outcome(reply));
            return applier.apply(order, asked, channel, reply);
        } catch (ChannelException e) {
            SyncOrders.failed(metrics, applier, LOG, channel, "query", TRIGGER, asked, e);
            return null;
        }
    }

    /** Still pending at its expiry: close (card-present: reverse) it at the channel, then here. */
    private void expire(StoredOrder stored, int attempts, ChannelOrder asked, ChannelAccounts.Account account, Instant now) {
        Order order = stored.order();
        String channel = account.channel().name();
        CancelReply reply;
        try {
            reply = guard.call(channel, asked.mid(), () -> account.channel().cancel(asked, account.credentials(), callTimeout()));
        } catch (ChannelException e) {
            SyncOrders.failed(metrics, applier, LOG, channel, "cancel", TRIGGER, asked, e);
            if (e.failure() == ChannelException.Failure.REFUSED) {
                applier.alert(SyncAlerts.Kind.CANCEL_REFUSED, asked, channel, e.getMessage());
            }
            store.reschedule(order.flowNo(), schedule.retry(stored, attempts + 1, now), true);
            return;
        }
        metrics.call(channel, "cancel", TRIGGER, reply.outcome().name().toLowerCase(java.util.Locale.ROOT));
        switch (reply.outcome()) {
            case CLOSED, NOT_KNOWN -> applier.move(order, asked, channel, OrderState.CLOSED, null, null);
            case REVOKED -> applier.move(order, asked, channel, order.isCardPresent() ? OrderState.REVOKED : OrderState.CLOSED,
                    null, null);
            case PAID -> {
                // paid at the last moment: the query tells when and under which trade number
                Order after = query(order, asked, account);
                if (after == null || after.state() == OrderState.INIT) {
                    store.reschedule(order.flowNo(), schedule.retry(stored, attempts + 1, now), true);
                }
            }
            case TRY_AGAIN -> store.reschedule(order.flowNo(), schedule.soon(stored, now), true);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private Duration callTimeout() {
        return settings.timeout().compareTo(MIN_CALL_TIMEOUT) > 0 ? settings.timeout() : MIN_CALL_TIMEOUT;
    }

    /**
     * Stops sweeping: no new sweep starts, and the calls under way get {@link #CLOSE_WAIT} to write
     * what the channel said (an order cut off is swept again: its claim only holds it a minute).
     * Short, because it counts against the node's shutdown grace.
     */
    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow(); // its sweep stops waiting for the workers; they finish on their own
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** How long a stopping node waits for the sweep under way. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(1);
}
