package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leopard.protocol.OrderState;
import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.sandbox.SandboxChannel;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.StoredOrder;
import io.leopard.server.order.TestOrders;
import io.leopard.server.order.WriteOutcome;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.leopard.server.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SweeperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** When the tests' orders are written: later than their orderTime, so their clock starts here. */
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
    private static final String MID = "100000510983456";
    private static final String NO_CHANNEL_MID = "100000510983457";
    private static final Instant PAY_TIME = Instant.parse("2026-12-02T08:00:07Z");

    /** One database with merchants, a channel account at a {@link TestChannel}, and a sweeper on it. */
    private static final class Fixture implements AutoCloseable {
        final TestDatabase t;
        final Database database;
        final MutableClock clock = new MutableClock(NOW);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final TestChannel wechat = new TestChannel("wechat");
        final OrderWrites writes;
        final SyncStore store;
        final ChannelAccounts accounts;
        final Sweeper sweeper;

        Fixture(DatabaseVendor vendor) {
            this(vendor, SyncSettings.defaults());
        }

        Fixture(DatabaseVendor vendor, SyncSettings settings) {
            t = TestDatabases.create(vendor);
            database = t.database();
            KeyCipher cipher = new KeyCipher(MasterKey.random());
            MerchantStore merchants = new MerchantStore(database, cipher);
            merchants.add(MID, "merchant " + MID, "testkey-1");
            merchants.add(NO_CHANNEL_MID, "merchant " + NO_CHANNEL_MID, "testkey-2");
            writes = new OrderWrites(database, ZONE, clock, registry);
            store = new SyncStore(database);
            accounts = new ChannelAccounts(database, cipher, new Channels(List.of(wechat)), clock);
            accounts.set(MID, "wechat", Map.of("apiKey", "k"));
            sweeper = sweeper("node-a", settings);
        }

        Sweeper sweeper(String node, SyncSettings settings) {
            SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
            return new Sweeper(new OrderStore(database), accounts, applier, store, new ChannelGuard(10_000, registry),
                    new SyncMetrics(registry), settings, clock, node);
        }

        /** Sweeps at {@code NOW + offset}; how many orders were claimed. */
        int sweepAt(Duration offset) {
            clock.set(NOW.plus(offset));
            return sweeper.sweep();
        }

        StoredOrder stored(String orderNo) {
            return writes.find(MID, orderNo).orElseThrow();
        }

        @Override
        public void close() {
            sweeper.close();
            t.close();
        }
    }

    static ObjectNode pending(String mid, String orderNo, Scene scene) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mid", mid).put("orderNo", orderNo).put("flowNo", "F" + orderNo).put("amount", "50.00")
                .put("type", "wechat").put("scene", scene.wireName()).put("state", "INIT").put("orderTime", "20161110103000");
        return o;
    }

    private static void write(Fixture f, String mid, String orderNo, Scene scene) {
        assertThat(f.writes.write(pending(mid, orderNo, scene), WriteSource.API).outcome()).isEqualTo(WriteOutcome.CREATED);
    }

    private static ChannelReply.Known paid(String tradeNo) {
        return new ChannelReply.Known(ChannelState.SUCCESS, tradeNo, PAY_TIME, new BigDecimal("50.00"), false);
    }

    private static Long dueAt(Database database, String flowNo) {
        return column(database, "SELECT sync_due_at FROM orders WHERE flow_no = ?", flowNo);
    }

    private static Long attempts(Database database, String flowNo) {
        return column(database, "SELECT sync_attempts FROM orders WHERE flow_no = ?", flowNo);
    }

    private static Long syncedAt(Database database, String flowNo) {
        return column(database, "SELECT synced_at FROM orders WHERE flow_no = ?", flowNo);
    }

    private static Long column(Database database, String sql, String flowNo) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> strings(Database database, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<String> changes(Database database, String flowNo) {
        List<String> out = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT version, from_state, to_state, source FROM order_changes"
                     + " WHERE flow_no = ? ORDER BY version")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + " " + rs.getString(2) + ">" + rs.getString(3) + " " + rs.getString(4));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static List<String> alerts(Database database) {
        return strings(database, "SELECT kind FROM sync_alerts ORDER BY alert_id");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void cardPresentIsAskedEveryFiveSecondsThenReversedAtSixty(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            assertThat(dueAt(f.database, "FB1")).as("written pending: due at once").isEqualTo(NOW.toEpochMilli());
            assertThat(f.sweepAt(Duration.ZERO)).isEqualTo(1);
            assertThat(f.wechat.queries).as("not before its first turn").hasValue(0);
            assertThat(dueAt(f.database, "FB1")).isEqualTo(NOW.plusSeconds(5).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).isZero();
            assertThat(f.sweepAt(Duration.ofMillis(4999))).isZero();
            assertThat(f.wechat.queries).hasValue(0);
            for (int s = 5; s < 60; s += 5) {
                assertThat(f.sweepAt(Duration.ofSeconds(s))).isEqualTo(1);
                assertThat(f.wechat.queries).as("asked at %d s", s).hasValue(s / 5);
                assertThat(f.sweepAt(Duration.ofSeconds(s).plusMillis(4999))).isZero();
                assertThat(dueAt(f.database, "FB1")).isEqualTo(NOW.plusSeconds(s + 5).toEpochMilli());
                assertThat(attempts(f.database, "FB1")).isEqualTo(s / 5);
            }
            assertThat(f.wechat.cancels).hasValue(0);
            assertThat(syncedAt(f.database, "FB1")).as("the channel confirmed it pending").isEqualTo(NOW.plusSeconds(55).toEpochMilli());
            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.REVOKED);
            assertThat(f.sweepAt(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(f.wechat.calls.subList(f.wechat.calls.size() - 2, f.wechat.calls.size()))
                    .as("queried, then reversed").containsExactly("query B1", "cancel B1");
            assertThat(f.stored("B1").order().state()).isEqualTo(OrderState.REVOKED);
            assertThat(dueAt(f.database, "FB1")).isNull();
            assertThat(changes(f.database, "FB1")).containsExactly("1 null>INIT API", "2 INIT>REVOKED SYNC");
            assertThat(f.sweepAt(Duration.ofMinutes(5))).isZero();
            assertThat(f.wechat.queries).hasValue(12);
            assertThat(f.wechat.cancels).hasValue(1);
            assertThat(alerts(f.database)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void othersBackOffThenAreClosedAtTwoHours(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "Q1", Scene.QRCODE);
            f.wechat.onQuery = o -> new ChannelReply.NotKnown("not scanned yet");
            f.sweepAt(Duration.ZERO);
            int asked = 0;
            for (long minute : new long[] {1, 3, 8, 18, 48, 108}) {
                assertThat(f.sweepAt(Duration.ofMinutes(minute).minusMillis(1))).as("just before %d min", minute).isZero();
                assertThat(f.wechat.queries).hasValue(asked);
                assertThat(f.sweepAt(Duration.ofMinutes(minute))).isEqualTo(1);
                assertThat(f.wechat.queries).as("asked at %d min", minute).hasValue(++asked);
            }
            assertThat(syncedAt(f.database, "FQ1")).as("not known: nothing was confirmed").isNull();
            assertThat(f.sweepAt(Duration.ofMinutes(120).minusMillis(1))).isZero();
            assertThat(f.wechat.cancels).hasValue(0);
            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.CLOSED);
            assertThat(f.sweepAt(Duration.ofMinutes(120))).isEqualTo(1);
            assertThat(f.wechat.queries).hasValue(7);
            assertThat(f.wechat.cancels).hasValue(1);
            assertThat(f.stored("Q1").order().state()).isEqualTo(OrderState.CLOSED);
            assertThat(dueAt(f.database, "FQ1")).isNull();
            assertThat(changes(f.database, "FQ1")).containsExactly("1 null>INIT API", "2 INIT>CLOSED SYNC");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void aNonCardOrderTheChannelSaysRevokedIsClosed(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "Q1", Scene.APP);
            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.REVOKED);
            f.sweepAt(Duration.ZERO);
            assertThat(f.sweepAt(Duration.ofHours(3))).isEqualTo(1);
            assertThat(f.stored("Q1").order().state()).isEqualTo(OrderState.CLOSED);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void paidAtTheChannelIsWrittenAsSyncAndLeavesTheSchedule(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            f.sweepAt(Duration.ZERO);
            f.sweepAt(Duration.ofSeconds(5));
            f.wechat.onQuery = o -> paid("T4200001");
            assertThat(f.sweepAt(Duration.ofSeconds(10))).isEqualTo(1);
            StoredOrder s = f.stored("B1");
            assertThat(s.order().state()).isEqualTo(OrderState.SUCCESS);
            assertThat(s.order().tradeNo()).isEqualTo("T4200001");
            assertThat(s.order().payTime()).isEqualTo(PAY_TIME);
            assertThat(s.version()).isEqualTo(2);
            assertThat(changes(f.database, "FB1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS SYNC");
            assertThat(dueAt(f.database, "FB1")).isNull();
            assertThat(syncedAt(f.database, "FB1")).isEqualTo(NOW.plusSeconds(10).toEpochMilli());
            assertThat(f.sweepAt(Duration.ofSeconds(15))).isZero();
            assertThat(f.sweepAt(Duration.ofMinutes(10))).isZero();
            assertThat(f.wechat.queries).hasValue(2);
            assertThat(f.wechat.cancels).hasValue(0);
            assertThat(alerts(f.database)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aCancelAnsweredPaidIsQueriedAndWrittenSuccess(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.PAID);
            f.wechat.onQuery = o -> f.wechat.cancels.get() > 0 ? paid("T9") : ChannelReply.Known.pending();
            f.sweepAt(Duration.ZERO);
            assertThat(f.sweepAt(Duration.ofSeconds(61))).isEqualTo(1);
            assertThat(f.wechat.calls).containsExactly("query B1", "cancel B1", "query B1");
            StoredOrder s = f.stored("B1");
            assertThat(s.order().state()).isEqualTo(OrderState.SUCCESS);
            assertThat(s.order().tradeNo()).isEqualTo("T9");
            assertThat(changes(f.database, "FB1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS SYNC");
            assertThat(dueAt(f.database, "FB1")).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void tryAgainAndFailuresRescheduleAndCount(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            write(f, MID, "Q1", Scene.QRCODE);
            f.sweepAt(Duration.ZERO);
            f.wechat.onQuery = o -> {
                throw new ChannelException(ChannelException.Failure.TIMEOUT, "test: no answer");
            };
            assertThat(f.sweepAt(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(dueAt(f.database, "FB1")).isEqualTo(NOW.plusSeconds(10).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).isEqualTo(1);
            assertThat(f.sweepAt(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(f.wechat.cancels).as("no answer: not cancelled blindly").hasValue(0);
            assertThat(dueAt(f.database, "FB1")).as("past its expiry: a minute later, not 5 s")
                    .isEqualTo(NOW.plusSeconds(120).toEpochMilli());
            assertThat(dueAt(f.database, "FQ1")).as("retried a minute later").isEqualTo(NOW.plusSeconds(120).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).isEqualTo(2);
            assertThat(attempts(f.database, "FQ1")).isEqualTo(1);

            f.wechat.onQuery = o -> ChannelReply.Known.pending();
            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.TRY_AGAIN);
            assertThat(f.sweepAt(Duration.ofSeconds(120))).as("B1 and Q1").isEqualTo(2);
            assertThat(f.wechat.cancels).hasValue(1);
            assertThat(f.stored("B1").order().state()).isEqualTo(OrderState.INIT);
            assertThat(dueAt(f.database, "FB1")).as("the channel asked to try again: its usual step")
                    .isEqualTo(NOW.plusSeconds(125).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).isEqualTo(3);

            f.wechat.onCancel = o -> {
                throw new ChannelException(ChannelException.Failure.REFUSED, "test: ORDERPAID? no: SYSTEMERROR");
            };
            assertThat(f.sweepAt(Duration.ofSeconds(180))).isEqualTo(1);
            assertThat(alerts(f.database)).containsExactly("cancel_refused");
            assertThat(dueAt(f.database, "FB1")).as("two minutes late: two more").isEqualTo(NOW.plusSeconds(300).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).isEqualTo(4);

            f.wechat.onCancel = o -> CancelReply.of(CancelReply.Outcome.NOT_KNOWN);
            f.sweepAt(Duration.ofSeconds(300));
            assertThat(f.stored("B1").order().state()).as("unknown at the channel: closed here").isEqualTo(OrderState.CLOSED);
            assertThat(f.stored("Q1").order().state()).isEqualTo(OrderState.INIT);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aMerchantWithoutAChannelIsNeverClosed(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            assertThat(f.writes.write(pending(NO_CHANNEL_MID, "N1", Scene.BRUSHCARD), WriteSource.API).outcome())
                    .isEqualTo(WriteOutcome.CREATED);
            assertThat(f.writes.write(pending(NO_CHANNEL_MID, "N2", Scene.QRCODE), WriteSource.API).outcome())
                    .isEqualTo(WriteOutcome.CREATED);
            for (long s = 0; s <= 3 * 3600; s += 5) {
                f.sweepAt(Duration.ofSeconds(s));
            }
            assertThat(f.wechat.calls).isEmpty();
            for (String no : new String[] {"N1", "N2"}) {
                StoredOrder s = f.writes.find(NO_CHANNEL_MID, no).orElseThrow();
                assertThat(s.order().state()).isEqualTo(OrderState.INIT);
                assertThat(s.version()).isEqualTo(1);
                assertThat(dueAt(f.database, "F" + no)).as("left alone after its expiry").isNull();
            }
            assertThat(alerts(f.database)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void anImportedPendingOrderIsNotScheduled(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            Order imported = new Order(MID, "I1", "FI1", null, new BigDecimal("50.00"), "wechat", Scene.BRUSHCARD,
                    OrderState.INIT, NOW, null);
            TestOrders.load(new OrderStore(f.database), imported);
            assertThat(dueAt(f.database, "FI1")).isNull();
            for (long s = 0; s <= 120; s += 5) {
                assertThat(f.sweepAt(Duration.ofSeconds(s))).isZero();
            }
            assertThat(f.sweepAt(Duration.ofHours(3))).isZero();
            assertThat(f.wechat.calls).isEmpty();
            assertThat(f.stored("I1").order().state()).isEqualTo(OrderState.INIT);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void twoNodesNeverClaimTheSameOrder(DatabaseVendor vendor) throws Exception {
        try (Fixture f = new Fixture(vendor)) {
            int n = 200;
            List<com.fasterxml.jackson.databind.JsonNode> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(pending(MID, "C" + i, i % 2 == 0 ? Scene.BRUSHCARD : Scene.QRCODE));
            }
            assertThat(f.writes.writeAll(batch, WriteSource.API)).allMatch(r -> r.outcome() == WriteOutcome.CREATED);
            SyncStore nodeA = new SyncStore(f.database);
            SyncStore nodeB = new SyncStore(f.database);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int round = 0; round < 5; round++) {
                    Instant now = NOW.plusSeconds(round * 1000L);
                    if (round > 0) {
                        try (Connection c = f.database.connection();
                             PreparedStatement ps = c.prepareStatement("UPDATE orders SET sync_due_at = ?")) {
                            ps.setLong(1, now.toEpochMilli() - round); // all due again
                            ps.executeUpdate();
                        }
                    }
                    CyclicBarrier start = new CyclicBarrier(2);
                    AtomicInteger total = new AtomicInteger();
                    Future<List<String>> a = pool.submit(() -> claimAll(nodeA, start, total, now, n));
                    Future<List<String>> b = pool.submit(() -> claimAll(nodeB, start, total, now, n));
                    List<String> byA = a.get(60, TimeUnit.SECONDS);
                    List<String> byB = b.get(60, TimeUnit.SECONDS);
                    Set<String> setA = new HashSet<>(byA);
                    Set<String> setB = new HashSet<>(byB);
                    assertThat(setA).as("round %d: no order twice on one node", round).hasSize(byA.size());
                    assertThat(setB).hasSize(byB.size());
                    Set<String> both = new HashSet<>(setA);
                    both.retainAll(setB);
                    assertThat(both).as("round %d: claimed by both nodes", round).isEmpty();
                    Set<String> union = new HashSet<>(setA);
                    union.addAll(setB);
                    assertThat(union).as("round %d: every due order claimed", round).hasSize(n);
                    assertThat(nodeA.claimDue(now, 10, now.plusSeconds(60))).as("held: none due any more").isEmpty();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Claims in small batches until all {@code n} are claimed (by either node) or 2000 claims were made. */
    private static List<String> claimAll(SyncStore store, CyclicBarrier start, AtomicInteger total, Instant now, int n)
            throws Exception {
        start.await(30, TimeUnit.SECONDS);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 2000 && total.get() < n; i++) {
            for (SyncStore.Due d : store.claimDue(now, 7, now.plus(Sweeper.HOLD))) {
                mine.add(d.flowNo());
                total.incrementAndGet();
            }
        }
        return mine;
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void twoSweepersAskOncePerOrderPerTurn(DatabaseVendor vendor) throws Exception {
        SyncSettings settings = new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(2),
                Duration.ofSeconds(60), Duration.ofSeconds(5), false, 2, 10_000);
        try (Fixture f = new Fixture(vendor, settings); Sweeper other = f.sweeper("node-b", settings)) {
            int n = 40;
            List<com.fasterxml.jackson.databind.JsonNode> batch = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                batch.add(pending(MID, "D" + i, Scene.BRUSHCARD));
            }
            f.writes.writeAll(batch, WriteSource.API);
            Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();
            f.wechat.onQuery = o -> {
                asked.computeIfAbsent(o.orderNo(), k -> new AtomicInteger()).incrementAndGet();
                return ChannelReply.Known.pending();
            };
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int s = 0; s <= 10; s += 5) {
                    f.clock.set(NOW.plusSeconds(s));
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<Integer> a = pool.submit(() -> sweepUntilDone(f.sweeper, start));
                    Future<Integer> b = pool.submit(() -> sweepUntilDone(other, start));
                    assertThat(a.get(60, TimeUnit.SECONDS) + b.get(60, TimeUnit.SECONDS)).as("claimed at %d s", s).isEqualTo(n);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(asked).hasSize(n);
            assertThat(asked.values()).as("asked at 5 s and at 10 s, once each").allMatch(c -> c.get() == 2);
        }
    }

    private static int sweepUntilDone(Sweeper sweeper, CyclicBarrier start) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        int claimed = 0;
        for (int got = sweeper.sweep(), i = 0; (got > 0 || i < 3) && i < 1000; got = sweeper.sweep(), i++) {
            claimed += got;
        }
        return claimed;
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aLeaseHeldByAQueryMakesTheSweeperWait(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            f.sweepAt(Duration.ZERO);
            Instant at = NOW.plusSeconds(5);
            assertThat(f.store.claimLease("FB1", at, at.plusSeconds(2), "query-node")).isTrue();
            assertThat(f.sweepAt(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(f.wechat.queries).as("a query is asking right now").hasValue(0);
            assertThat(dueAt(f.database, "FB1")).isEqualTo(NOW.plusSeconds(7).toEpochMilli());
            assertThat(attempts(f.database, "FB1")).as("not an attempt").isZero();
            assertThat(f.sweepAt(Duration.ofSeconds(7))).isEqualTo(1);
            assertThat(f.wechat.queries).as("the lease expired").hasValue(1);
            assertThat(f.store.claimLease("FB1", NOW.plusSeconds(8), NOW.plusSeconds(10), "query-node"))
                    .as("the sweeper's own lease keeps queries off").isFalse();
            assertThat(f.store.claimLease("FB1", NOW.plusSeconds(9), NOW.plusSeconds(11), "query-node")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aMismatchIsAnAlertAndChangesNothing(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            f.sweepAt(Duration.ZERO);
            f.wechat.onQuery = o -> {
                throw new ChannelException(ChannelException.Failure.MISMATCH, "test: paid 51.00 for an order of 50.00");
            };
            assertThat(f.sweepAt(Duration.ofSeconds(5))).isEqualTo(1);
            assertThat(alerts(f.database)).containsExactly("mismatch");
            assertThat(strings(f.database, "SELECT flow_no FROM sync_alerts")).containsExactly("FB1");
            assertThat(strings(f.database, "SELECT detail FROM sync_alerts")).singleElement().asString().contains("51.00");
            StoredOrder s = f.stored("B1");
            assertThat(s.order().state()).isEqualTo(OrderState.INIT);
            assertThat(s.version()).isEqualTo(1);
            assertThat(changes(f.database, "FB1")).containsExactly("1 null>INIT API");
            assertThat(syncedAt(f.database, "FB1")).isNull();
            assertThat(f.registry.get("leopard.sync.alerts").tag("kind", "mismatch").counter().count()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void paidAfterCloseIsAnAlert(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.QRCODE);
            f.sweepAt(Duration.ZERO);
            f.wechat.onQuery = o -> {
                // the core closes it while the channel is being asked
                assertThat(f.writes.write(pending(MID, "B1", Scene.QRCODE).put("state", "CLOSED"), WriteSource.API).outcome())
                        .isEqualTo(WriteOutcome.CHANGED);
                return paid("T77");
            };
            assertThat(f.sweepAt(Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(alerts(f.database)).containsExactly("paid_after_close");
            assertThat(strings(f.database, "SELECT detail FROM sync_alerts")).singleElement().asString().contains("T77");
            StoredOrder s = f.stored("B1");
            assertThat(s.order().state()).isEqualTo(OrderState.CLOSED);
            assertThat(s.order().tradeNo()).isNull();
            assertThat(changes(f.database, "FB1")).containsExactly("1 null>INIT API", "2 INIT>CLOSED API");
            assertThat(dueAt(f.database, "FB1")).isNull();
            assertThat(f.sweepAt(Duration.ofHours(3))).isZero();
            assertThat(f.wechat.queries).hasValue(1);
            assertThat(f.wechat.cancels).hasValue(0);
        }
    }

    @Test
    void anOrderMovedElsewhereLeavesTheScheduleWithoutACall() {
        try (Fixture f = new Fixture(DatabaseVendor.H2)) {
            write(f, MID, "B1", Scene.BRUSHCARD);
            f.sweepAt(Duration.ZERO);
            assertThat(f.writes.write(pending(MID, "B1", Scene.BRUSHCARD).put("state", "SUCCESS").put("tradeNo", "T1")
                    .put("payTime", "20161110103004"), WriteSource.EVENT).outcome()).isEqualTo(WriteOutcome.CHANGED);
            assertThat(dueAt(f.database, "FB1")).isNull();
            assertThat(f.sweepAt(Duration.ofSeconds(5))).isZero();
            assertThat(f.wechat.calls).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void anotherTradeNumberThanTheStoredOneIsAConflictAlert(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.QRCODE);
            f.sweepAt(Duration.ZERO);
            f.wechat.onQuery = o -> {
                // the core reports it paid under one trade number while the channel is asked
                assertThat(f.writes.write(pending(MID, "B1", Scene.QRCODE).put("state", "SUCCESS").put("tradeNo", "T1")
                        .put("payTime", "20161110103004"), WriteSource.API).outcome()).isEqualTo(WriteOutcome.CHANGED);
                return paid("T2");
            };
            assertThat(f.sweepAt(Duration.ofMinutes(1))).isEqualTo(1);
            StoredOrder s = f.stored("B1");
            assertThat(s.order().state()).isEqualTo(OrderState.SUCCESS);
            assertThat(s.order().tradeNo()).as("a trade number is set once").isEqualTo("T1");
            assertThat(alerts(f.database)).as("the channel's other trade number is not dropped silently").containsExactly("conflict");
            assertThat(strings(f.database, "SELECT detail FROM sync_alerts")).singleElement().asString().contains("T2");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void theSameAnswerAsAConcurrentWriteIsNoAlert(DatabaseVendor vendor) {
        try (Fixture f = new Fixture(vendor)) {
            write(f, MID, "B1", Scene.QRCODE);
            f.sweepAt(Duration.ZERO);
            f.wechat.onQuery = o -> {
                assertThat(f.writes.write(pending(MID, "B1", Scene.QRCODE).put("state", "SUCCESS").put("tradeNo", "T1")
                        .put("payTime", "20161110103004"), WriteSource.API).outcome()).isEqualTo(WriteOutcome.CHANGED);
                return paid("T1");
            };
            assertThat(f.sweepAt(Duration.ofMinutes(1))).isEqualTo(1);
            assertThat(f.stored("B1").order().state()).isEqualTo(OrderState.SUCCESS);
            assertThat(alerts(f.database)).isEmpty();
        }
    }

    @Test
    void throughTheSandboxAPaid12sCardOrderIsPaidAtTheThirdTurn() {
        try (Fixture f = new Fixture(DatabaseVendor.H2)) {
            ChannelAccounts sandboxed = new ChannelAccounts(f.database, new KeyCipher(MasterKey.random()),
                    new Channels(List.of(new SandboxChannel(f.clock))), f.clock);
            sandboxed.set(MID, "sandbox", Map.of());
            SyncApplier applier = new SyncApplier(f.writes, f.store, new SyncAlerts(f.database, f.clock, f.registry), f.clock);
            try (Sweeper sweeper = new Sweeper(new OrderStore(f.database), sandboxed, applier, f.store,
                    new ChannelGuard(100, f.registry), new SyncMetrics(f.registry), SyncSettings.defaults(), f.clock, "node-s")) {
                // ordered now (16:00 in Shanghai is 08:00 UTC)
                var w = f.writes.write(pending(MID, "S-paid12s", Scene.BRUSHCARD).put("flowNo", "FS1").put("orderTime", "20261202160000"), WriteSource.API);
                assertThat(w.outcome()).as(w.field() + " " + w.reason()).isEqualTo(WriteOutcome.CREATED);
                for (int s = 0; s <= 10; s += 5) {
                    f.clock.set(NOW.plusSeconds(s));
                    sweeper.sweep();
                    assertThat(f.stored("S-paid12s").order().state()).as("at %d s", s).isEqualTo(OrderState.INIT);
                }
                f.clock.set(NOW.plusSeconds(15));
                sweeper.sweep();
                StoredOrder s = f.stored("S-paid12s");
                assertThat(s.order().state()).isEqualTo(OrderState.SUCCESS);
                assertThat(s.order().tradeNo()).isEqualTo("SBXFS1");
                assertThat(s.order().payTime()).isEqualTo(NOW.plusSeconds(15));
                assertThat(changes(f.database, "FS1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS SYNC");
            }
        }
    }
}
