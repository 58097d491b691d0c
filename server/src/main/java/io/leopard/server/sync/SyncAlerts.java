package io.leopard.server.sync;

import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.store.Database;
import io.leopard.server.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a channel said that the platform could not apply and an operator must look at: recorded in
 * {@code sync_alerts}, logged at WARN and counted ({@code leopard.sync.alerts}), never dropped.
 */
public final class SyncAlerts {
    private static final Logger LOG = LoggerFactory.getLogger(SyncAlerts.class);
    private static final int MAX_DETAIL = 500;

    /** What the alert is about. */
    public enum Kind {
        /** The channel reports a payment for an order the platform holds as closed, failed or revoked. */
        PAID_AFTER_CLOSE,
        /** The channel's amount or order number does not match the order: nothing was applied. */
        MISMATCH,
        /** The channel's answer contradicts the stored order otherwise (another trade number, an illegal move). */
        CONFLICT,
        /** The channel refused to close or reverse an expired order. */
        CANCEL_REFUSED,
        /** A day past its expiry the channel had still given no usable answer: the sweeper stopped asking. */
        GAVE_UP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Database database;
    private final Clock clock;
    private final Map<Kind, Counter> counters = new EnumMap<>(Kind.class);

    public SyncAlerts(Database database, Clock clock, MeterRegistry registry) {
        this.database = database;
        this.clock = clock;
        for (Kind kind : Kind.values()) {
            counters.put(kind, Counter.builder("leopard.sync.alerts").tag("kind", kind.tag())
                    .description("Channel answers that could not be applied and were recorded in sync_alerts")
                    .register(registry));
        }
    }

    public void raise(Kind kind, ChannelOrder order, String channel, String detail) {
        String text = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) : detail;
        counters.get(kind).increment();
        LOG.warn("sync alert {}: merchant {} order {} (flowNo {}) channel {} request {}: {}", kind.tag(), order.mid(),
                order.orderNo(), order.flowNo(), channel, order.requestId(), text);
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "INSERT INTO sync_alerts (flow_no, mid, order_no, channel, kind, detail, raised_at)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, order.flowNo());
            ps.setString(2, order.mid());
            ps.setString(3, order.orderNo());
            ps.setString(4, channel);
            ps.setString(5, kind.tag());
            ps.setString(6, text);
            ps.setObject(7, LocalDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException | StoreException e) {
            // the WARN line above and the counter still carry it
            LOG.error("sync alert {} of flowNo {} could not be stored: {}", kind.tag(), order.flowNo(), e.getMessage());
        }
    }
}
