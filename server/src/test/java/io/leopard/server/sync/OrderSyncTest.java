package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import io.leopard.server.channel.Channels;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Read-time sync against a scripted channel and a real database: one call per order per interval, never a failed query. */
class OrderSyncTest {
    private static final String MID = "100000510983456";
    private static final String OTHER_MID = "100000510983457";
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final Instant PAID_AT = Instant.parse("2026-12-03T07:59:58Z");
    /** A generous timeout: these tests must not depend on how fast the machine is. */
    private static final SyncSettings SETTINGS = new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofHours(2), Duration.ofSeconds(60), Duration.ofSeconds(5), false, 2, 1000);
    private static final SyncSettings SHORT_TIMEOUT = new SyncSettings(Duration.ofSeconds(2), Duration.ofMillis(300),
            Duration.ofHours(2), Duration.ofSeconds(60), Duration.ofSeconds(5), false, 2, 1000);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StepClock clock = new StepClock(NOW);
    private final ScriptedChannel wechat = new ScriptedChannel("wechat");
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private TestDatabase db;

    @BeforeEach
    void open() {
        db = TestDatabases.create(DatabaseVendor.H2);
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
        db.close();
    }

    /** A clock the test moves. */
    static final class StepClock extends Clock {
        private final AtomicReference<Instant> now;

        StepClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A channel that answers what the test scripts, counts its calls, and can be held until released. */
    static final class ScriptedChannel implements Channel {
        final String name;
        final AtomicInteger queries = new AtomicInteger();
        final ConcurrentLinkedQueue<ChannelOrder> asked = new ConcurrentLinkedQueue<>();
        volatile Function<ChannelOrder, ChannelReply> answer = o -> ChannelReply.Known.pending();
        volatile CountDownLatch hold = new CountDownLatch(0);

        ScriptedChannel(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, String> checkCredentials(Map<String, String> fields) {
            return fields;
        }

        @Override
        public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            queries.incrementAndGet();
            asked.add(order);
            try {
                hold.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer.apply(order);
        }

        @Override
        public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            throw new UnsupportedOperationException("not asked by read-time sync");
        }
    }

    private Database database() {
        return db.database();
    }

    private ChannelAccounts accounts() {
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        MerchantStore merchants = new MerchantStore(database(), cipher);
        merchants.add(MID, "shop", "key-of-shop-456");
        merchants.add(OTHER_MID, "other shop", "key-of-shop-457");
        ChannelAccounts accounts = new ChannelAccounts(database(), cipher, new Channels(List.of(wechat)), clock);
        accounts.set(MID, "wechat", Map.of("appid", "wx1"));
        return accounts;
    }

    private OrderWrites writes() {
        return new OrderWrites(database(), ZoneId.of("Asia/Shanghai"), clock, registry);
    }

    private OrderSync sync(ChannelAccounts accounts, String node) {
        return sync(accounts, node, SETTINGS);
    }

    private OrderSync sync(ChannelAccounts accounts, String node, SyncSettings settings) {
        SyncStore store = new SyncStore(database());
        SyncApplier applier = new SyncApplier(writes(), store, new SyncAlerts(database(), clock, registry), clock);
        return new OrderSync(accounts, applier, store, new ChannelGuard(settings.channelRate(), registry),
                new SyncMetrics(registry), settings, clock, node, executor);
    }

    private Order pending(String mid, String orderNo, Scene scene) {
        Order o = new Order(mid, orderNo, "F" + orderNo, null, new BigDecimal("50.00"), "wechat", scene, OrderState.INIT,
                NOW.minusSeconds(10), null);
        writes().apply(List.of(o), WriteSource.API);
        return stored(mid, orderNo);
    }

    private Order stored(String mid, String orderNo) {
        return new OrderStore(database()).find(mid, orderNo).orElseThrow();
    }

    private static ChannelReply paid(ChannelOrder o) {
        return new ChannelReply.Known(ChannelState.SUCCESS, "T" + o.flowNo(), PAID_AT, o.amount(), false);
    }

    private double count(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() == null ? 0 : search.counter().count();
    }

    @Test
    void aPendingOrderPaidAtTheChannelIsAnsweredPaidAndStoredSoWithItsTradeNoAndPayTime() throws SQLException {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.BRUSHCARD);
        wechat.answer = OrderSyncTest::paid;

        Order fresh = sync.fresh(order, "req-1");

        assertThat(fresh.state()).isEqualTo(OrderState.SUCCESS);
        assertThat(fresh.tradeNo()).isEqualTo("TFB1");
        assertThat(fresh.payTime()).isEqualTo(PAID_AT);
        assertThat(fresh.confirmedAt()).isEqualTo(NOW);
        Order stored = stored(MID, "B1");
        assertThat(stored.state()).isEqualTo(OrderState.SUCCESS);
        assertThat(stored.confirmedAt()).isEqualTo(NOW);
        assertThat(wechat.asked.peek().flowNo()).as("the channel knows the platform's number").isEqualTo("FB1");
        assertThat(wechat.asked.peek().requestId()).isEqualTo("req-1");
        assertThat(lastChangeSource("FB1")).isEqualTo("SYNC");
        assertThat(dueAt("FB1")).as("a settled order leaves the sweeper's schedule").isNull();
        assertThat(count("leopard.sync.calls", "channel", "wechat", "trigger", "query", "outcome", "success")).isEqualTo(1);
    }

    @Test
    void aStillPendingAnswerRecordsTheConfirmationAndChangesNothingElse() {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.BRUSHCARD);

        Order fresh = sync.fresh(order, "req");

        assertThat(fresh.state()).isEqualTo(OrderState.INIT);
        assertThat(fresh.confirmedAt()).isEqualTo(NOW);
        assertThat(stored(MID, "B1").confirmedAt()).isEqualTo(NOW);
        assertThat(stored(MID, "B1").tradeNo()).isNull();
    }

    @Test
    void concurrentQueriesOfOneOrderShareOneChannelCallAndItsAnswer() throws Exception {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.BRUSHCARD);
        wechat.hold = new CountDownLatch(1);
        wechat.answer = OrderSyncTest::paid;
        List<CompletableFuture<Order>> waiting = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            waiting.add(sync.refresh(order, "req-" + i));
        }
        wechat.hold.countDown();

        for (CompletableFuture<Order> f : waiting) {
            assertThat(f.get(5, TimeUnit.SECONDS).state()).isEqualTo(OrderState.SUCCESS);
        }
        assertThat(wechat.queries).hasValue(1);
        assertThat(count("leopard.sync.shared")).isEqualTo(15);
    }

    @Test
    void concurrentQueriesFromManyThreadsStillMakeOneCall() throws Exception {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.BRUSHCARD);
        wechat.hold = new CountDownLatch(1);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Order>> answers = new ArrayList<>();
        ExecutorService pollers = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 32; i++) {
                answers.add(pollers.submit(() -> {
                    start.await();
                    return sync.refresh(order, "poll").get(5, TimeUnit.SECONDS);
                }));
            }
            start.countDown();
            Thread.sleep(50); // let the pollers pile up on the held call (the assertion does not depend on it)
            wechat.hold.countDown();
            for (Future<Order> a : answers) {
                assertThat(a.get(5, TimeUnit.SECONDS).state()).isEqualTo(OrderState.INIT);
            }
        } finally {
            pollers.shutdownNow();
        }
        assertThat(wechat.queries).hasValue(1);
        // every other poll joined the call or, arriving after it, was not due
        assertThat(count("leopard.sync.shared") + count("leopard.sync.skipped", "reason", "recent")).isEqualTo(31);
    }

    @Test
    void anOrderIsAskedAboutAtMostOncePerMinInterval() {
        OrderSync sync = sync(accounts(), "node-a");
        pending(MID, "B1", Scene.BRUSHCARD);
        sync.fresh(stored(MID, "B1"), "r1");
        clock.advance(Duration.ofMillis(1999));
        sync.fresh(stored(MID, "B1"), "r2");
        sync.fresh(stored(MID, "B1"), "r3");
        assertThat(wechat.queries).as("confirmed 1.999 s ago").hasValue(1);
        clock.advance(Duration.ofMillis(2)); // past the interval (at exactly 2 s the node's memory may still hold it)
        sync.fresh(stored(MID, "B1"), "r4");
        assertThat(wechat.queries).hasValue(2);
    }

    @Test
    void aFailedCallAlsoWaitsTheIntervalBeforeTheNextOne() {
        OrderSync sync = sync(accounts(), "node-a");
        pending(MID, "B1", Scene.BRUSHCARD);
        wechat.answer = o -> {
            throw new ChannelException(ChannelException.Failure.UNREACHABLE, "down");
        };
        for (int i = 0; i < 5; i++) {
            assertThat(sync.fresh(stored(MID, "B1"), "r").state()).isEqualTo(OrderState.INIT);
        }
        assertThat(wechat.queries).hasValue(1);
        clock.advance(Duration.ofMillis(2001));
        sync.fresh(stored(MID, "B1"), "r");
        assertThat(wechat.queries).hasValue(2);
        assertThat(count("leopard.sync.calls", "outcome", "unreachable")).isEqualTo(2);
    }

    @Test
    void afterAnAnswerTheLeaseIsHeldForTheIntervalOnlyWhetherOrNotTheAnswerCouldBeConfirmed() {
        // SETTINGS' call timeout (10 s) is longer than the interval: the lease is taken for the call, then shortened
        long interval = NOW.plus(SETTINGS.minInterval()).toEpochMilli();
        OrderSync sync = sync(accounts(), "node-a");
        pending(MID, "B1", Scene.BRUSHCARD);
        sync.fresh(stored(MID, "B1"), "r1");
        assertThat(leaseOf("FB1")).as("shortened with the confirmation").isEqualTo(interval + " node-a INIT");

        pending(MID, "B2", Scene.BRUSHCARD);
        wechat.answer = o -> {
            // the order is closed while the channel is asked: "pending" cannot be confirmed any more
            writes().apply(List.of(stored(MID, "B2").moved(OrderState.CLOSED, null, null)), WriteSource.API);
            return ChannelReply.Known.pending();
        };
        sync.fresh(stored(MID, "B2"), "r2");
        assertThat(leaseOf("FB2")).as("shortened on its own").isEqualTo(interval + " node-a CLOSED");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void acrossNodesTheLeaseLetsOneNodeAskPerInterval(DatabaseVendor vendor) {
        db.close();
        db = TestDatabases.create(vendor);
        ChannelAccounts accounts = accounts();
        OrderSync a = sync(accounts, "node-a");
        OrderSync b = sync(accounts, "node-b");
        pending(MID, "B1", Scene.BRUSHCARD);
        Order read = stored(MID, "B1");

        a.fresh(read, "ra");
        Order fromB = b.fresh(read, "rb");

        assertThat(wechat.queries).hasValue(1);
        assertThat(fromB).as("b answers what it read: a holds the lease").isEqualTo(read);
        assertThat(count("leopard.sync.skipped", "reason", "lease")).isEqualTo(1);
        clock.advance(Duration.ofMillis(2001));
        b.fresh(read, "rb");
        assertThat(wechat.queries).as("the lease ran out").hasValue(2);
    }

    @Test
    void aSlowChannelAnswersTheStoredStateAtTheTimeoutAndItsLateAnswerIsStillWritten() throws Exception {
        OrderSync sync = sync(accounts(), "node-a", SHORT_TIMEOUT);
        Order order = pending(MID, "B1", Scene.BRUSHCARD);
        wechat.hold = new CountDownLatch(1);
        wechat.answer = OrderSyncTest::paid;

        long start = System.nanoTime();
        Order answered = sync.fresh(order, "req");
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(answered).isEqualTo(order);
        assertThat(tookMs).as("waits the sync timeout (300 ms), not the channel").isLessThan(5_000);
        wechat.hold.countDown();
        for (int i = 0; i < 500 && stored(MID, "B1").state() == OrderState.INIT; i++) {
            Thread.sleep(10);
        }
        assertThat(stored(MID, "B1").state()).isEqualTo(OrderState.SUCCESS);
    }

    @Test
    void aBatchAsksItsPendingOrdersInParallel() {
        OrderSync sync = sync(accounts(), "node-a");
        List<Order> orders = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            orders.add(pending(MID, "M" + i, Scene.QRCODE));
        }
        CountDownLatch allAsked = new CountDownLatch(5);
        wechat.answer = o -> {
            allAsked.countDown();
            try {
                // only parallel calls get here all five: serial ones would each wait in vain
                return allAsked.await(5, TimeUnit.SECONDS) ? paid(o) : ChannelReply.Known.pending();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        };

        List<Order> fresh = sync.freshAll(orders, "batch");

        assertThat(fresh).extracting(Order::state).containsOnly(OrderState.SUCCESS);
        assertThat(fresh).extracting(Order::orderNo).containsExactly("M1", "M2", "M3", "M4", "M5");
    }

    @Test
    void settledOrdersAndOrdersWithoutAChannelAreNeverAsked() {
        OrderSync sync = sync(accounts(), "node-a");
        Order other = pending(OTHER_MID, "B1", Scene.BRUSHCARD);
        Order paid = new Order(MID, "P1", "FP1", "T1", new BigDecimal("1.00"), "wechat", Scene.BRUSHCARD, OrderState.SUCCESS,
                NOW, NOW);
        Order alipay = new Order(MID, "A1", "FA1", null, new BigDecimal("1.00"), "alipay", Scene.BRUSHCARD, OrderState.INIT,
                NOW, null);

        assertThat(sync.fresh(other, "r")).isSameAs(other);
        assertThat(sync.fresh(paid, "r")).isSameAs(paid);
        assertThat(sync.fresh(alipay, "r")).as("the merchant has no alipay account").isSameAs(alipay);
        assertThat(wechat.queries).hasValue(0);
    }

    @Test
    void anAmountMismatchIsAnAlertAndChangesNothing() throws SQLException {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.BRUSHCARD);
        wechat.answer = o -> {
            throw new ChannelException(ChannelException.Failure.MISMATCH, "total_fee 5001 is not the order's 5000 fen");
        };

        assertThat(sync.fresh(order, "req-9")).isEqualTo(order);

        assertThat(stored(MID, "B1").state()).isEqualTo(OrderState.INIT);
        assertThat(alerts()).containsExactly("mismatch FB1 wechat total_fee 5001 is not the order's 5000 fen");
        assertThat(count("leopard.sync.alerts", "kind", "mismatch")).isEqualTo(1);
    }

    @Test
    void aPaymentReportedForAnOrderClosedMeanwhileIsAPaidAfterCloseAlertNotAnOverwrite() throws SQLException {
        OrderSync sync = sync(accounts(), "node-a");
        Order order = pending(MID, "B1", Scene.QRCODE);
        wechat.answer = o -> {
            // the core closes the order while the channel is being asked
            writes().apply(List.of(order.moved(OrderState.CLOSED, null, null)), WriteSource.API);
            return paid(o);
        };

        Order answered = sync.fresh(order, "req");

        assertThat(answered.state()).isEqualTo(OrderState.CLOSED);
        assertThat(stored(MID, "B1").state()).isEqualTo(OrderState.CLOSED);
        assertThat(alerts()).singleElement().asString().startsWith("paid_after_close FB1 wechat channel says SUCCESS");
    }

    @Test
    void aTrippedBreakerAnswersAtOnceWithoutAskingTheChannel() {
        OrderSync sync = sync(accounts(), "node-a");
        wechat.answer = o -> {
            throw new ChannelException(ChannelException.Failure.TIMEOUT, "slow");
        };
        for (int i = 0; i < 10; i++) {
            sync.fresh(pending(MID, "B" + i, Scene.BRUSHCARD), "r");
        }
        assertThat(wechat.queries).hasValue(10);
        Order next = pending(MID, "B99", Scene.BRUSHCARD);
        assertThat(sync.fresh(next, "r")).isEqualTo(next);
        assertThat(wechat.queries).as("open: not asked").hasValue(10);
        assertThat(count("leopard.sync.calls", "outcome", "tripped")).isEqualTo(1);
    }

    @Test
    void onlyMerchantsWithAChannelAccountHaveTheirNewPendingOrdersSwept() throws SQLException {
        ChannelAccounts accounts = accounts();
        OrderWrites writes = new OrderWrites(database(), ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        for (String mid : List.of(MID, OTHER_MID)) {
            writes.apply(List.of(new Order(mid, "S1", "F" + mid.substring(12) + "S1", null, BigDecimal.TEN, "wechat",
                    Scene.QRCODE, OrderState.INIT, NOW, null)), WriteSource.API);
        }
        assertThat(dueAt("F456S1")).as("has a wechat account").isEqualTo(NOW.toEpochMilli());
        assertThat(dueAt("F457S1")).as("has none").isNull();
    }

    private List<String> alerts() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT kind, flow_no, channel, detail FROM sync_alerts ORDER BY alert_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
            }
        }
        return out;
    }

    private String lastChangeSource(String flowNo) throws SQLException {
        try (Connection c = database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT source FROM order_changes WHERE flow_no = ? ORDER BY version DESC")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String leaseOf(String flowNo) {
        try (Connection c = database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT sync_lease_until, sync_lease_by, state FROM orders WHERE flow_no = ?")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3);
            }
        } catch (SQLException e) {
            return e.toString();
        }
    }

    private Long dueAt(String flowNo) throws SQLException {
        try (Connection c = database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT sync_due_at FROM orders WHERE flow_no = ?")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }
}
