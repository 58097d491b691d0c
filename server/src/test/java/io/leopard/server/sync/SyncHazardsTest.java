package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.sandbox.SandboxChannel;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteResult;
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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hazards an independent review found in channel sync, each a test that failed before its fix: a
 * writer asking for a second pooled connection, one merchant tripping everyone, polls keeping an
 * order from its reversal, a sweep and a query asking at once.
 */
class SyncHazardsTest {
    private static final String A = "100000510983456";
    private static final String B = "100000510983457";
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final SyncSettings SETTINGS = new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofHours(2), Duration.ofSeconds(60), Duration.ofSeconds(5), false, 2, 1000);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final OrderSyncTest.StepClock clock = new OrderSyncTest.StepClock(NOW);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        executor.shutdownNow();
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private TestDatabase db(DatabaseVendor v) {
        TestDatabase db = TestDatabases.create(v);
        toClose.add(db);
        return db;
    }

    private ChannelAccounts accounts(Database database, KeyCipher cipher) {
        MerchantStore merchants = new MerchantStore(database, cipher);
        merchants.add(A, "shop a", "key-of-shop-456");
        merchants.add(B, "shop b", "key-of-shop-457");
        return new ChannelAccounts(database, cipher, new Channels(List.of(new SandboxChannel(clock))), clock);
    }

    private static Order pending(String mid, String orderNo, Scene scene) {
        return new Order(mid, orderNo, "F" + orderNo, null, new BigDecimal("50.00"), "wechat", scene, OrderState.INIT,
                NOW.minusSeconds(1), null);
    }

    // ---------------------------------------------------------------- 1: nested connection in OrderWriter

    /**
     * The writer holds its transaction's connection while swept.test(mid) -> ChannelAccounts.hasAny ->
     * load() takes a second one from the same pool. Pool of 1: the write of a new pending order waits
     * the connect timeout and fails.
     */
    @Test
    void aNewPendingOrderCanBeWrittenWithAPoolOfOne() {
        TestDatabase tdb = db(DatabaseVendor.H2);
        tdb.database().close();
        Database small = Database.open(tdb.url(), "", "", 1, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1));
        toClose.add(small);
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        ChannelAccounts accounts = accounts(small, cipher);
        accounts.set(A, "sandbox", Map.of()); // invalidates A's cache entry
        OrderWrites writes = new OrderWrites(small, ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        long t0 = System.nanoTime();
        Throwable thrown = null;
        List<WriteResult> r = null;
        try {
            r = writes.apply(List.of(pending(A, "P1", Scene.BRUSHCARD)), WriteSource.API);
        } catch (RuntimeException e) {
            thrown = e;
        }
        System.out.println("REVIEW pool-of-one write took " + (System.nanoTime() - t0) / 1_000_000 + " ms, result "
                + r + ", thrown " + thrown);
        assertThat(thrown).as("writing a pending order needs a second pooled connection").isNull();
    }

    /** The same with the default-ish pool: N concurrent writers of N merchants each hold one and want another. */
    @Test
    void concurrentNewPendingOrdersOfColdMerchantsWithPoolOfFour() throws Exception {
        TestDatabase tdb = db(DatabaseVendor.H2);
        tdb.database().close();
        Database small = Database.open(tdb.url(), "", "", 4, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(1));
        toClose.add(small);
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        MerchantStore merchants = new MerchantStore(small, cipher);
        List<String> mids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String mid = "1000005109834" + (10 + i);
            merchants.add(mid, "shop " + i, "key-of-shop-" + (100 + i));
            mids.add(mid);
        }
        ChannelAccounts accounts = new ChannelAccounts(small, cipher, new Channels(List.of(new SandboxChannel(clock))), clock);
        OrderWrites writes = new OrderWrites(small, ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> out = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            String mid = mids.get(i);
            int n = i;
            out.add(executor.submit(() -> {
                go.await();
                try {
                    return writes.apply(List.of(pending(mid, "C" + n, Scene.QRCODE)), WriteSource.API).get(0).outcome().name();
                } catch (RuntimeException e) {
                    return "THROWN " + e.getMessage();
                }
            }));
        }
        go.countDown();
        int failed = 0;
        for (Future<String> f : out) {
            String s = f.get(30, TimeUnit.SECONDS);
            if (s.startsWith("THROWN")) {
                failed++;
                System.out.println("REVIEW pool-of-four: " + s);
            }
        }
        System.out.println("REVIEW pool-of-four: " + failed + " of 16 writes failed");
        try {
            new OrderStore(small).find(mids.get(0), "C0");
            System.out.println("REVIEW pool-of-four: a read right after works");
        } catch (RuntimeException e) {
            System.out.println("REVIEW pool-of-four: a read (what a query does) right after: " + e);
        }
        assertThat(failed).isZero();
    }

    // ---------------------------------------------------------------- 2: one merchant trips the channel for all

    @Test
    void oneMerchantsBadAlipayKeyDoesNotStopSyncForOtherMerchants() throws Exception {
        Database database = db(DatabaseVendor.H2).database();
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        ChannelAccounts accounts = accounts(database, cipher);
        accounts.set(A, "sandbox", Map.of("scenario", "badsign")); // e.g. the app public key pasted as alipayPublicKey
        accounts.set(B, "sandbox", Map.of("scenario", "paid"));
        OrderWrites writes = new OrderWrites(database, ZoneId.of("Asia/Shanghai"), clock, registry);
        SyncStore store = new SyncStore(database);
        SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
        OrderSync sync = new OrderSync(accounts, applier, store, new ChannelGuard(1000, registry), new SyncMetrics(registry),
                SETTINGS, clock, "node-a", executor);
        OrderStore orders = new OrderStore(database);
        for (int i = 0; i < 10; i++) {
            writes.apply(List.of(pending(A, "A" + i, Scene.BRUSHCARD)), WriteSource.API);
            sync.fresh(orders.find(A, "A" + i).orElseThrow(), "poll-a");
        }
        writes.apply(List.of(pending(B, "B1", Scene.BRUSHCARD)), WriteSource.API);
        Order b = sync.fresh(orders.find(B, "B1").orElseThrow(), "poll-b");
        var tripped = registry.find("leopard.sync.calls").tags("outcome", "tripped").counter();
        System.out.println("REVIEW merchant B's paid order answered " + b.state() + "; tripped calls: "
                + (tripped == null ? 0 : tripped.count()));
        assertThat(b.state()).as("merchant B's order is paid at the channel").isEqualTo(OrderState.SUCCESS);
    }

    // ---------------------------------------------------------------- 3: sweeper SQL on three databases

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void twoSweepersClaimDisjointOrdersAndTheSweepSettlesAndReverses(DatabaseVendor vendor) throws Exception {
        Database database = db(vendor).database();
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        ChannelAccounts accounts = accounts(database, cipher);
        accounts.set(A, "sandbox", Map.of("scenario", "pending"));
        OrderWrites writes = new OrderWrites(database, ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        List<Order> batch = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            batch.add(pending(A, "S" + i + (i % 2 == 0 ? "-paid" : ""), Scene.BRUSHCARD));
        }
        writes.apply(batch, WriteSource.API);
        SyncStore store = new SyncStore(database);
        // two nodes claim at once
        CountDownLatch go = new CountDownLatch(1);
        Future<List<SyncStore.Due>> x = executor.submit(() -> { go.await(); return store.claimDue(NOW, 40, NOW.plusSeconds(60)); });
        Future<List<SyncStore.Due>> y = executor.submit(() -> { go.await(); return store.claimDue(NOW, 40, NOW.plusSeconds(60)); });
        go.countDown();
        List<SyncStore.Due> dx = x.get(20, TimeUnit.SECONDS);
        List<SyncStore.Due> dy = y.get(20, TimeUnit.SECONDS);
        Set<String> seen = new HashSet<>();
        for (SyncStore.Due d : dx) seen.add(d.flowNo());
        int overlap = 0;
        for (SyncStore.Due d : dy) if (!seen.add(d.flowNo())) overlap++;
        System.out.println("REVIEW " + vendor + " claims " + dx.size() + " + " + dy.size() + ", overlap " + overlap);
        assertThat(overlap).isZero();
        // put them back and let a sweeper work them
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("UPDATE orders SET sync_due_at = ?")) {
            ps.setLong(1, NOW.toEpochMilli());
            ps.executeUpdate();
        }
        SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
        Sweeper sweeper = new Sweeper(new OrderStore(database), accounts, applier, store, new ChannelGuard(1000, registry),
                new SyncMetrics(registry), new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(2),
                Duration.ofSeconds(60), Duration.ofSeconds(5), false, 8, 1000), clock, "sweeper-1");
        toClose.add(sweeper);
        while (sweeper.sweep() > 0) { } // first turn: rescheduled to +5 s
        clock.advance(Duration.ofSeconds(6));
        while (sweeper.sweep() > 0) { }
        OrderStore orders = new OrderStore(database);
        assertThat(orders.find(A, "S0-paid").orElseThrow().state()).isEqualTo(OrderState.SUCCESS);
        assertThat(orders.find(A, "S1").orElseThrow().state()).isEqualTo(OrderState.INIT);
        assertThat(dueAt(database, "FS0-paid")).as("settled: off the schedule (CASE WHEN ? on " + vendor + ")").isNull();
        for (int i = 0; i < 14; i++) {
            clock.advance(Duration.ofSeconds(5));
            while (sweeper.sweep() > 0) { }
        }
        assertThat(orders.find(A, "S1").orElseThrow().state()).isEqualTo(OrderState.REVOKED);
        assertThat(dueAt(database, "FS1")).isNull();
    }

    private static Long dueAt(Database database, String flowNo) throws Exception {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT sync_due_at FROM orders WHERE flow_no = ?")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    // ---------------------------------------------------------------- 4: sweeper lease shorter than its call

    @Test
    void aSlowSweeperCallAndAQueryDoNotAskTheChannelAtTheSameTime() throws Exception {
        Database database = db(DatabaseVendor.H2).database();
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        MerchantStore merchants = new MerchantStore(database, cipher);
        merchants.add(A, "shop a", "key-of-shop-456");
        OrderSyncTest.ScriptedChannel wechat = new OrderSyncTest.ScriptedChannel("wechat");
        ChannelAccounts accounts = new ChannelAccounts(database, cipher, new Channels(List.of(wechat)), clock);
        accounts.set(A, "wechat", Map.of("appid", "wx1"));
        OrderWrites writes = new OrderWrites(database, ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        writes.apply(List.of(pending(A, "L1", Scene.BRUSHCARD)), WriteSource.API);
        SyncStore store = new SyncStore(database);
        SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
        ChannelGuard guard = new ChannelGuard(1000, registry);
        SyncMetrics metrics = new SyncMetrics(registry);
        Sweeper sweeper = new Sweeper(new OrderStore(database), accounts, applier, store, guard, metrics, SETTINGS, clock, "node-a");
        toClose.add(sweeper);
        OrderSync reads = new OrderSync(accounts, applier, store, guard, metrics, SETTINGS, clock, "node-b", executor);
        clock.advance(Duration.ofSeconds(6));
        wechat.hold = new CountDownLatch(1);
        wechat.answer = o -> ChannelReply.Known.pending();
        Future<?> sweep = executor.submit(sweeper::sweep);
        while (wechat.queries.get() < 1) {
            Thread.sleep(10);
        }
        clock.advance(Duration.ofMillis(2100)); // the sweeper's call (timeout max(sync.timeout, 5 s)) is still running
        CompletableFuture<Order> q = reads.refresh(new OrderStore(database).find(A, "L1").orElseThrow(), "poll");
        Thread.sleep(300);
        int concurrent = wechat.queries.get();
        wechat.hold.countDown();
        sweep.get(10, TimeUnit.SECONDS);
        q.get(10, TimeUnit.SECONDS);
        System.out.println("REVIEW channel calls in flight for one order at once: " + concurrent);
        assertThat(concurrent).isEqualTo(1);
    }

    // ---------------------------------------------------------------- 5: polls starve the sweeper's expiry

    @Test
    void aCardPresentOrderPolledOftenIsStillReversedAfterItsExpiry() throws Exception {
        Database database = db(DatabaseVendor.H2).database();
        KeyCipher cipher = new KeyCipher(MasterKey.random());
        ChannelAccounts accounts = accounts(database, cipher);
        accounts.set(A, "sandbox", Map.of("scenario", "pending"));
        OrderWrites writes = new OrderWrites(database, ZoneId.of("Asia/Shanghai"), clock, registry, accounts::hasAny);
        writes.apply(List.of(pending(A, "E1", Scene.BRUSHCARD)), WriteSource.API);
        SyncStore store = new SyncStore(database);
        SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
        ChannelGuard guard = new ChannelGuard(1000, registry);
        SyncMetrics metrics = new SyncMetrics(registry);
        SyncSettings s = new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(2),
                Duration.ofSeconds(60), Duration.ofSeconds(5), false, 2, 1000);
        Sweeper sweeper = new Sweeper(new OrderStore(database), accounts, applier, store, guard, metrics, s, clock, "node-a");
        toClose.add(sweeper);
        OrderSync reads = new OrderSync(accounts, applier, store, guard, metrics, s, clock, "node-b", executor);
        OrderStore orders = new OrderStore(database);
        clock.advance(Duration.ofSeconds(61)); // past the card-present expiry
        for (int i = 0; i < 20; i++) {
            reads.refresh(orders.find(A, "E1").orElseThrow(), "poll").get(5, TimeUnit.SECONDS); // a poll as the lease frees
            while (sweeper.sweep() > 0) { }
            clock.advance(Duration.ofMillis(2001));
        }
        Order after = orders.find(A, "E1").orElseThrow();
        System.out.println("REVIEW card-present order 100 s after its 60 s expiry, polled every 2 s: " + after.state());
        assertThat(after.state()).isEqualTo(OrderState.REVOKED);
    }
}
