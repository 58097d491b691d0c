package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelState;
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
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SyncAlertsTest {
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00.750Z");

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void recordsCountsAndTruncatesTheDetail(DatabaseVendor vendor) throws SQLException {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            SyncAlerts alerts = new SyncAlerts(t.database(), Clock.fixed(NOW, ZoneOffset.UTC), registry);
            ChannelOrder order = new ChannelOrder("100000510983456", "A-1", "FA-1", new BigDecimal("1.00"), "wechat", false,
                    NOW, "req-1");
            alerts.raise(SyncAlerts.Kind.PAID_AFTER_CLOSE, order, "sandbox", "支".repeat(600));
            alerts.raise(SyncAlerts.Kind.CANCEL_REFUSED, order, "wechat", null);
            try (Connection c = t.database().connection();
                 PreparedStatement ps = c.prepareStatement("SELECT flow_no, mid, order_no, channel, kind, detail, raised_at"
                         + " FROM sync_alerts ORDER BY alert_id");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("FA-1");
                assertThat(rs.getString(2)).isEqualTo("100000510983456");
                assertThat(rs.getString(3)).isEqualTo("A-1");
                assertThat(rs.getString(4)).isEqualTo("sandbox");
                assertThat(rs.getString(5)).isEqualTo("paid_after_close");
                assertThat(rs.getString(6)).isEqualTo("支".repeat(500));
                assertThat(rs.getObject(7, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2026, 12, 2, 8, 0, 0));
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(5)).isEqualTo("cancel_refused");
                assertThat(rs.getString(6)).isEmpty();
                assertThat(rs.next()).isFalse();
            }
            assertThat(registry.get("leopard.sync.alerts").tag("kind", "paid_after_close").counter().count()).isEqualTo(1);
            assertThat(registry.get("leopard.sync.alerts").tag("kind", "mismatch").counter().count()).isZero();
        }
    }

    @Test
    void channelStatesMapOneForOneExceptARevokedNonCardOrderIsClosed() {
        assertThat(SyncApplier.target(ChannelState.SUCCESS, false)).isEqualTo(OrderState.SUCCESS);
        assertThat(SyncApplier.target(ChannelState.FAILED, true)).isEqualTo(OrderState.FAILED);
        assertThat(SyncApplier.target(ChannelState.CLOSED, true)).isEqualTo(OrderState.CLOSED);
        assertThat(SyncApplier.target(ChannelState.REVOKED, true)).isEqualTo(OrderState.REVOKED);
        assertThat(SyncApplier.target(ChannelState.REVOKED, false)).isEqualTo(OrderState.CLOSED);
        assertThat(SyncApplier.target(ChannelState.PENDING, false)).isEqualTo(OrderState.INIT);
    }
}
