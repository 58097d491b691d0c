package io.leopard.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The attempt log, resend and retention over the real tables, on every database: failed attempts
 * are made for real by the {@link Deliverer} (to a loopback URL the address guard refuses, so no
 * network is needed), a delivery is marked delivered directly, and time is a test clock.
 */
class NotifyLogTest {
    private static final String MID = "100000510983456";
    private static final String OTHER = "100000510983457";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final String REFUSED = "http://127.0.0.1:9/notify";

    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    private final Clock clock = new Clock() {
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
    };
    private TestDatabase db;
    private Database database;
    private MerchantStore merchants;
    private MerchantDirectory directory;
    private OrderWrites writes;
    private Deliverer deliverer;
    private NotifyLog log;

    private void open(DatabaseVendor vendor, Duration retention) {
        db = TestDatabases.create(vendor);
        database = db.database();
        merchants = new MerchantStore(database, new KeyCipher(MasterKey.random()));
        merchants.add(MID, "shop", "key-of-shop-456");
        merchants.add(OTHER, "other", "key-of-shop-457");
        merchants.setNotify(MID, REFUSED, null);
        directory = MerchantDirectory.start(merchants, Duration.ofHours(1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        writes = new OrderWrites(database, ZONE, clock, registry);
        deliverer = new Deliverer(database, directory, new NotifySettings(true, Duration.ofSeconds(1), Duration.ofMillis(500),
                List.of(Duration.ofSeconds(15), Duration.ofSeconds(30)), 4, 2, false, retention), ZONE, clock, registry);
        log = new NotifyLog(database);
    }

    @AfterEach
    void close() {
        if (deliverer != null) {
            deliverer.close();
            directory.close();
            db.close();
        }
    }

    private void order(String mid, String orderNo, OrderState state) {
        writes.apply(List.of(new Order(mid, orderNo, "F" + orderNo, state == OrderState.INIT ? null : "T" + orderNo,
                new BigDecimal("50.00"), "wechat", Scene.QRCODE, state, NOW.minusSeconds(60),
                state == OrderState.SUCCESS ? NOW.minusSeconds(5) : null)), WriteSource.API);
    }

    private void at(Instant t) {
        now.set(t);
    }

    private void delivered(String flowNo, long version, Instant at) throws SQLException {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notify_deliveries SET state = 'DELIVERED', due_at = NULL, done_at = ? WHERE flow_no = ? AND version = ?")) {
            ps.setObject(1, NotifyStore.utc(at));
            ps.setString(2, flowNo);
            ps.setLong(3, version);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement("INSERT INTO notify_attempts"
                + " (flow_no, version, attempted_at, url, http_status, latency_ms, answer) VALUES (?, ?, ?, ?, 200, 12, 'SUCCESS')")) {
            ps.setString(1, flowNo);
            ps.setLong(2, version);
            ps.setObject(3, NotifyStore.utc(at));
            ps.setString(4, REFUSED);
            ps.executeUpdate();
        }
    }

    private List<String> rows(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void eventIdsAreParsedAtTheLastDash() {
        assertThat(NotifyLog.parseEventId("F1-2")).isEqualTo(new NotifyLog.EventId("F1", 2));
        assertThat(NotifyLog.parseEventId("F-1-12")).isEqualTo(new NotifyLog.EventId("F-1", 12));
        for (String bad : new String[] {null, "", "F1", "F1-", "-2", "F1-0", "F1-x", "F1-+2", "F1--2x", "F 1-2", "F1-99999999999999999999",
                "A".repeat(33) + "-1", "F1-2\n"}) {
            assertThat(NotifyLog.parseEventId(bad)).as(String.valueOf(bad)).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void theLogShowsEveryAttemptNewestEventFirst(DatabaseVendor vendor) throws Exception {
        open(vendor, Duration.ofDays(30));
        order(MID, "L1", OrderState.INIT);
        order(MID, "L1", OrderState.FAILED);
        order(MID, "L1", OrderState.CLOSED);
        assertThat(log.ofOrder(MID, "L1").orElseThrow()).extracting(NotifyLog.Delivery::eventId)
                .as("the INIT creation is not told").containsExactly("FL1-3", "FL1-2");
        deliverer.round();
        at(NOW.plusSeconds(16));
        deliverer.round();

        List<NotifyLog.Delivery> all = log.ofOrder(MID, "L1").orElseThrow();
        NotifyLog.Delivery refund = all.get(0);
        assertThat(refund.status()).isEqualTo(OrderState.CLOSED);
        assertThat(refund.orderNo()).isEqualTo("L1");
        assertThat(refund.url()).isEqualTo(REFUSED);
        assertThat(refund.state()).isEqualTo("PENDING");
        assertThat(refund.attempts()).isEqualTo(2);
        assertThat(refund.nextAttemptAt()).isEqualTo(NOW.plusSeconds(16 + 30));
        assertThat(refund.createdAt()).isEqualTo(NOW);
        assertThat(refund.doneAt()).isNull();
        assertThat(refund.log()).hasSize(2).allSatisfy(a -> {
            assertThat(a.httpStatus()).isNull();
            assertThat(a.error()).startsWith("refused: the host 127.0.0.1 resolves to 127.0.0.1, an internal address");
            assertThat(a.answer()).isNull();
        });
        assertThat(refund.log().get(0).at()).isEqualTo(NOW);
        assertThat(refund.log().get(1).at()).isEqualTo(NOW.plusSeconds(16));
        assertThat(all.get(1).log()).hasSize(2);

        assertThat(log.ofOrder(MID, "NOPE")).isEmpty();
        assertThat(log.ofOrder(OTHER, "L1")).as("another merchant's order number").isEmpty();
        order(OTHER, "Q1", OrderState.SUCCESS);
        assertThat(log.ofOrder(OTHER, "Q1").orElseThrow()).as("no URL, no delivery").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void theMerchantListingShowsTheLastAttemptAndFiltersFailures(DatabaseVendor vendor) throws Exception {
        open(vendor, Duration.ofDays(30));
        order(MID, "M1", OrderState.SUCCESS);
        deliverer.round();
        at(NOW.plusSeconds(20));
        order(MID, "M2", OrderState.SUCCESS);
        delivered("FM2", 1, NOW.plusSeconds(20));
        at(NOW.plusSeconds(30));
        order(MID, "M3", OrderState.SUCCESS);

        List<NotifyLog.Delivery> all = log.ofMerchant(MID, false, 50);
        assertThat(all).extracting(NotifyLog.Delivery::eventId).containsExactly("FM3-1", "FM2-1", "FM1-1");
        assertThat(all.get(0).log()).as("not attempted yet").isEmpty();
        assertThat(all.get(1).log()).singleElement().satisfies(a -> {
            assertThat(a.httpStatus()).isEqualTo(200);
            assertThat(a.answer()).isEqualTo("SUCCESS");
            assertThat(a.latencyMs()).isEqualTo(12);
        });
        assertThat(all.get(1).nextAttemptAt()).as("done").isNull();
        assertThat(all.get(2).log()).singleElement().satisfies(a -> assertThat(a.error()).startsWith("refused:"));
        assertThat(log.ofMerchant(MID, true, 50)).extracting(NotifyLog.Delivery::eventId).as("failing only").containsExactly("FM1-1");
        assertThat(log.ofMerchant(MID, false, 2)).extracting(NotifyLog.Delivery::eventId).containsExactly("FM3-1", "FM2-1");
        assertThat(log.ofMerchant(OTHER, false, 50)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void resendPutsTheDeliveryBackDueNowWithTheScheduleAfresh(DatabaseVendor vendor) throws Exception {
        open(vendor, Duration.ofDays(30));
        order(MID, "R1", OrderState.SUCCESS);
        for (int i = 0; i < 3; i++) {
            deliverer.round();
            at(now.get().plus(Duration.ofMinutes(1)));
        }
        NotifyLog.Delivery gaveUp = log.ofOrder(MID, "R1").orElseThrow().get(0);
        assertThat(gaveUp.state()).isEqualTo("GAVE_UP");
        assertThat(gaveUp.attempts()).isEqualTo(3);
        assertThat(gaveUp.doneAt()).isNotNull();

        merchants.setNotify(MID, "https://fixed.example/notify", null);
        NotifyLog.Resent resent = log.resend(new NotifyLog.EventId("FR1", 1), now.get());
        assertThat(resent).isInstanceOf(NotifyLog.Resent.Done.class);
        NotifyLog.Delivery d = ((NotifyLog.Resent.Done) resent).delivery();
        assertThat(d.state()).isEqualTo("PENDING");
        assertThat(d.attempts()).isZero();
        assertThat(d.nextAttemptAt()).isEqualTo(now.get().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(d.doneAt()).isNull();
        assertThat(d.url()).as("the merchant's URL now").isEqualTo("https://fixed.example/notify");
        assertThat(log.ofOrder(MID, "R1").orElseThrow().get(0).log()).as("the earlier attempts stay").hasSize(3);

        delivered("FR1", 1, now.get());
        NotifyLog.Resent again = log.resend(new NotifyLog.EventId("FR1", 1), now.get());
        assertThat(((NotifyLog.Resent.Done) again).delivery().state()).as("a delivered one is sent again").isEqualTo("PENDING");

        assertThat(log.resend(new NotifyLog.EventId("FR1", 2), now.get())).isInstanceOf(NotifyLog.Resent.UnknownEvent.class);
        assertThat(log.resend(new NotifyLog.EventId("NOPE", 1), now.get())).isInstanceOf(NotifyLog.Resent.UnknownEvent.class);
        order(MID, "R2", OrderState.INIT);
        assertThat(log.resend(new NotifyLog.EventId("FR2", 1), now.get())).as("a pending creation is not told")
                .isInstanceOf(NotifyLog.Resent.NotNotified.class);
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void resendGivesAnEventWithoutADeliveryOne(DatabaseVendor vendor) throws Exception {
        open(vendor, Duration.ofDays(30));
        order(OTHER, "U1", OrderState.SUCCESS);
        assertThat(log.resend(new NotifyLog.EventId("FU1", 1), now.get())).isEqualTo(new NotifyLog.Resent.NoUrl(OTHER));
        merchants.setNotify(OTHER, "https://later.example/notify", null);
        NotifyLog.Resent resent = log.resend(new NotifyLog.EventId("FU1", 1), now.get());
        NotifyLog.Delivery d = ((NotifyLog.Resent.Done) resent).delivery();
        assertThat(d.eventId()).isEqualTo("FU1-1");
        assertThat(d.mid()).isEqualTo(OTHER);
        assertThat(d.status()).isEqualTo(OrderState.SUCCESS);
        assertThat(d.state()).isEqualTo("PENDING");
        assertThat(d.createdAt()).isEqualTo(NOW);
        assertThat(log.ofOrder(OTHER, "U1").orElseThrow()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void deliveredNotificationsPastTheRetentionArePrunedHourlyInBatches(DatabaseVendor vendor) throws Exception {
        open(vendor, Duration.ofDays(30));
        int many = Deliverer.PRUNE_BATCH + 3;
        for (int i = 0; i < many; i++) {
            order(MID, "P" + i, OrderState.SUCCESS);
        }
        List<String> flows = rows("SELECT flow_no FROM notify_deliveries ORDER BY flow_no");
        for (String flow : flows) {
            delivered(flow, 1, NOW);
        }
        at(NOW.plus(Duration.ofDays(1)));
        order(MID, "KEEP", OrderState.SUCCESS);
        delivered("FKEEP", 1, now.get());
        order(MID, "GAVEUP", OrderState.SUCCESS);
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notify_deliveries SET state = 'GAVE_UP', due_at = NULL, done_at = ? WHERE flow_no = 'FGAVEUP'")) {
            ps.setObject(1, NotifyStore.utc(NOW));
            ps.executeUpdate();
        }

        at(NOW.plus(Duration.ofDays(30)).minusSeconds(1));
        deliverer.pruneIfDue(now.get());
        assertThat(rows("SELECT COUNT(*) FROM notify_deliveries")).as("not old enough yet").containsExactly(Integer.toString(many + 2));

        at(NOW.plus(Duration.ofDays(30)).plusSeconds(1));
        deliverer.pruneIfDue(now.get());
        assertThat(rows("SELECT COUNT(*) FROM notify_deliveries")).as("at most once an hour").containsExactly(Integer.toString(many + 2));

        at(now.get().plus(Deliverer.PRUNE_EVERY));
        deliverer.pruneIfDue(now.get());
        assertThat(rows("SELECT flow_no FROM notify_deliveries ORDER BY flow_no")).as("in two batches; given up ones are kept")
                .containsExactly("FGAVEUP", "FKEEP");
        assertThat(rows("SELECT DISTINCT flow_no FROM notify_attempts ORDER BY flow_no")).as("their attempts with them")
                .containsExactly("FKEEP");
        assertThat(rows("SELECT COUNT(*) FROM order_changes")).as("the feed keeps its events").containsExactly(Integer.toString(many + 2));
    }

    @Test
    void aStoredUrlThatIsNotOneFailsItsAttemptsInsteadOfStayingHeld() throws Exception {
        open(DatabaseVendor.H2, Duration.ofDays(30));
        order(MID, "B1", OrderState.SUCCESS);
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE notify_deliveries SET url = 'http://bad host/' WHERE flow_no = 'FB1'")) {
            ps.executeUpdate();
        }
        deliverer.round();
        NotifyLog.Delivery d = log.ofOrder(MID, "B1").orElseThrow().get(0);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.nextAttemptAt()).isEqualTo(NOW.plusSeconds(15));
        assertThat(d.log()).singleElement().satisfies(a -> assertThat(a.error()).isEqualTo("the notify URL is not a valid URL"));
    }
}
