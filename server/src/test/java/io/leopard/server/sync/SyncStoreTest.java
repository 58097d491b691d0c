package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteSource;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The confirmation that also shortens the lease (one UPDATE where a query's call used to make two):
 * it must shorten exactly as {@link SyncStore#shortenLease} does, on every database.
 */
class SyncStoreTest {
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");
    private static final Instant HELD = NOW.plusSeconds(5);
    private static final Instant SHORT = NOW.plusSeconds(2);

    private TestDatabase db;
    private SyncStore store;

    private void open(DatabaseVendor vendor) {
        db = TestDatabases.create(vendor);
        store = new SyncStore(db.database());
        new MerchantStore(db.database(), new KeyCipher(MasterKey.random())).add("100000510983456", "shop", "key-of-shop-456");
        Order o = new Order("100000510983456", "B1", "FB1", null, new BigDecimal("50.00"), "wechat", Scene.BRUSHCARD,
                OrderState.INIT, NOW.minusSeconds(10), null);
        new OrderWrites(db.database(), ZoneId.of("Asia/Shanghai"), Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry())
                .apply(List.of(o), WriteSource.API);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aConfirmationWithItsLeaseEndShortensThisNodesLeaseInTheSameWrite(DatabaseVendor vendor) throws SQLException {
        open(vendor);
        assertThat(store.claimLease("FB1", NOW, HELD, "node-a")).isTrue();

        assertThat(store.confirmed("FB1", OrderState.INIT, NOW.plusMillis(50), new SyncStore.LeaseEnd("node-a", SHORT))).isTrue();

        assertThat(row()).isEqualTo(NOW.plusMillis(50).toEpochMilli() + " " + SHORT.toEpochMilli() + " node-a");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void itLeavesAnotherNodesLeaseAndNeverLengthensOne(DatabaseVendor vendor) throws SQLException {
        open(vendor);
        assertThat(store.claimLease("FB1", NOW, HELD, "node-b")).isTrue();
        store.confirmed("FB1", OrderState.INIT, NOW, new SyncStore.LeaseEnd("node-a", SHORT));
        assertThat(row()).as("node-b's lease").isEqualTo(NOW.toEpochMilli() + " " + HELD.toEpochMilli() + " node-b");

        store.shortenLease("FB1", "node-b", NOW.plusSeconds(1));
        store.confirmed("FB1", OrderState.INIT, NOW, new SyncStore.LeaseEnd("node-b", SHORT));
        assertThat(row()).as("already shorter").isEqualTo(NOW.toEpochMilli() + " " + NOW.plusSeconds(1).toEpochMilli() + " node-b");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aConfirmationOfAStateTheOrderLeftWritesNothingNotEvenTheLease(DatabaseVendor vendor) throws SQLException {
        open(vendor);
        assertThat(store.claimLease("FB1", NOW, HELD, "node-a")).isTrue();

        assertThat(store.confirmed("FB1", OrderState.SUCCESS, NOW, new SyncStore.LeaseEnd("node-a", SHORT)))
                .as("the caller shortens the lease itself then").isFalse();

        assertThat(row()).isEqualTo("0 " + HELD.toEpochMilli() + " node-a");
    }

    /** synced_at (0 when none), sync_lease_until and sync_lease_by of FB1. */
    private String row() throws SQLException {
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT synced_at, sync_lease_until, sync_lease_by FROM orders WHERE flow_no = 'FB1'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getString(3);
        }
    }
}
