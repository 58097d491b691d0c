package io.leopard.server.sync;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leopard.protocol.OrderState;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.order.Order;
import io.leopard.server.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-time sync: before a query answers a pending order, asks the order's channel what became of
 * it, if nobody did within {@code sync.min-interval}, and waits for the answer at most
 * {@code sync.timeout}. What it never does is fail the query: a channel that is down, slow, tripped
 * or lying leaves the stored state to be answered.
 *
 * <p>Three things keep the channel from being asked more than once per order per interval:
 * <ol>
 *   <li>single-flight: concurrent queries of one order on this node share one call and its result;</li>
 *   <li>a short memory of the orders this node asked about, so the polls that follow do not even
 *   touch the database to learn they are not due;</li>
 *   <li>the order's lease column: across nodes, only the node whose {@code UPDATE} took the lease
 *   asks, the others answer the stored state (which the asking node's write updates).</li>
 * </ol>
 * The call runs on its own (virtual) thread: a query that stops waiting at its deadline leaves the
 * call to finish and write its result, so the next poll answers it.
 */
public final class OrderSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderSync.class);
    static final String TRIGGER = "query";

    private final ChannelAccounts accounts;
    private final SyncApplier applier;
    private final SyncStore store;
    private final ChannelGuard guard;
    private final SyncMetrics metrics;
    private final SyncSettings settings;
    private final Clock clock;
    private final String node;
    private final ExecutorService calls;
    private final ConcurrentHashMap<String, CompletableFuture<Order>> inFlight = new ConcurrentHashMap<>();
    private final Cache<String, Boolean> recentlyAsked;

    OrderSync(ChannelAccounts accounts, SyncApplier applier, SyncStore store, ChannelGuard guard, SyncMetrics metrics,
              SyncSettings settings, Clock clock, String node, ExecutorService calls) {
        this.accounts = accounts;
        this.applier = applier;
        this.store = store;
        this.guard = guard;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.node = node;
        this.calls = calls;
        this.recentlyAsked = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(settings.minInterval())
                .maximumSize(1_000_000)
                .build();
    }

    /** The order as its channel says it is now, when it is pending and due; else {@code order} itself. */
    public Order fresh(Order order, String requestId) {
        return await(refresh(order, requestId), order, System.nanoTime() + settings.timeout().toNanos());
    }

    /**
     * The orders as their channels say they are now: every pending order due is asked in parallel,
     * and all are waited for until one deadline ({@code sync.timeout} from now).
     */
    public List<Order> freshAll(List<Order> orders, String requestId) {
        List<CompletableFuture<Order>> started = new ArrayList<>(orders.size());
        for (Order o : orders) {
            started.add(refresh(o, requestId));
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        List<Order> out = new ArrayList<>(orders.size());
        for (int i = 0; i < orders.size(); i++) {
            out.add(await(started.get(i), orders.get(i), deadline));
        }
        return out;
    }

    /**
     * Starts or joins the sync of {@code order} when one is due; the future completes with the order
     * as it is afterwards (at once with {@code order} when none is due).
     */
    CompletableFuture<Order> refresh(Order order, String requestId) {
        if (order.state() != OrderState.INIT) {
            return CompletableFuture.completedFuture(order);
        }
        Instant now = clock.instant();
        if (order.confirmedAt() != null && order.confirmedAt().plus(settings.minInterval()).isAfter(now)) {
            metrics.skipped("fresh");
            return CompletableFuture.completedFuture(order);
        }
        CompletableFuture<Order> running = inFlight.get(order.flowNo());
        if (running != null) {
            metrics.shared();
            return running;
        }
        if (recentlyAsked.getIfPresent(order.flowNo()) != null) {
            metrics.skipped("recent");
            return CompletableFuture.completedFuture(order);
        }
        Optional<ChannelAccounts.Account> account = accounts.forOrder(order.mid(), order.type());
        if (account.isEmpty()) {
            return CompletableFuture.completedFuture(order); // no channel set up: the core's writes are the truth
        }
        CompletableFuture<Order> mine = new CompletableFuture<>();
        CompletableFuture<Order> raced = inFlight.putIfAbsent(order.flowNo(), mine);
        if (raced != null) {
            metrics.shared();
            return raced;
        }
        recentlyAsked.put(order.flowNo(), Boolean.TRUE);
        try {
            calls.execute(() -> {
                Order after = order;
                try {
                    after = ask(order, account.get(), requestId, now);
                } catch (RuntimeException e) {
                    LOG.warn("requestId={} sync of flowNo {} failed: {}", requestId, order.flowNo(), e.toString());
                } finally {
                    // out of the map before its waiters go on: a query that follows them must not join a finished call
                    inFlight.remove(order.flowNo(), mine);
                    mine.complete(after);
                }
            });
        } catch (RuntimeException rejected) {
            inFlight.remove(order.flowNo(), mine);
            mine.complete(order); // shutting down
        }
        return mine;
    }

    private Order ask(Order order, ChannelAccounts.Account account, String requestId, Instant now) {
        // held for as long as the call may take, then only for the interval
        Duration hold = settings.minInterval().compareTo(callTimeout()) >= 0 ? settings.minInterval() : callTimeout();
        if (!store.claimLease(order.flowNo(), now, now.plus(hold), node)) {
            metrics.skipped("lease"); // another node asks about it now (or it left INIT meanwhile)
            return order;
        }
        // the lease is shortened with the answer's confirmation, one UPDATE for both; on its own only when
        // that was not written (no answer, an answer that could not be applied)
        SyncStore.LeaseEnd end = hold == settings.minInterval() ? null
                : new SyncStore.LeaseEnd(node, now.plus(settings.minInterval()));
        boolean shortened = false;
        try {
            SyncApplier.Applied applied = askLeased(order, account, requestId, end);
            shortened = applied.leaseShortened();
            return applied.order();
        } finally {
            if (end != null && !shortened) {
                store.shortenLease(order.flowNo(), node, end.until());
            }
        }
    }

    private SyncApplier.Applied askLeased(Order order, ChannelAccounts.Account account, String requestId,
                                          SyncStore.LeaseEnd end) {
        String channel = account.channel().name();
        ChannelOrder asked = SyncOrders.of(order, requestId);
        ChannelReply reply;
        try {
            // the query waits sync.timeout (await); the call itself may take as long as the sweeper's, so that a late
            // answer is still written for the next poll instead of being cut off when the query stops waiting
            reply = guard.call(channel, order.mid(), () -> account.channel().query(asked, account.credentials(), callTimeout()));
        } catch (ChannelException e) {
            SyncOrders.failed(metrics, applier, LOG, channel, "query", TRIGGER, asked, e);
            if (e.failure() == ChannelException.Failure.RATE_LIMITED) {
                // not asked at all: the next poll may try again, on this node or another
                recentlyAsked.invalidate(order.flowNo());
                store.shortenLease(order.flowNo(), node, clock.instant());
                return new SyncApplier.Applied(order, true); // given back: not to be held for the interval either
            }
            return new SyncApplier.Applied(order, false);
        }
        metrics.call(channel, "query", TRIGGER, SyncOrders.outcome(reply));
        try {
            return applier.apply(order, asked, channel, reply, end);
        } catch (StoreException e) {
            LOG.warn("requestId={} sync of flowNo {}: the channel's answer could not be written: {}", requestId,
                    order.flowNo(), e.getMessage());
            return new SyncApplier.Applied(order, false);
        }
    }

    /** What {@code future} completed with by {@code deadlineNanos} ({@link System#nanoTime}), else {@code fallback}. */
    static Order await(CompletableFuture<Order> future, Order fallback, long deadlineNanos) {
        if (future.isDone()) {
            return future.getNow(fallback);
        }
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }

    /** How long the channel call may take: at least {@link Sweeper#MIN_CALL_TIMEOUT}, however short {@code sync.timeout} is. */
    private Duration callTimeout() {
        return settings.timeout().compareTo(Sweeper.MIN_CALL_TIMEOUT) > 0 ? settings.timeout() : Sweeper.MIN_CALL_TIMEOUT;
    }

    /** How long a sync takes at most before the query answers without it (for the listeners' request timeout). */
    public Duration timeout() {
        return settings.timeout();
    }

    /**
     * Stops taking calls; those under way get up to a second to write what the channel said (short:
     * it counts against the node's shutdown grace; an answer lost is asked for again).
     */
    @Override
    public void close() {
        calls.shutdown();
        try {
            calls.awaitTermination(Math.min(1000, settings.timeout().toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
