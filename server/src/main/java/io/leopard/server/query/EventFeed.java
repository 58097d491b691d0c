package io.leopard.server.query;

import io.leopard.protocol.Fields;
import io.leopard.protocol.Formats;
import io.leopard.protocol.OrderState;
import io.leopard.server.order.Order;
import io.leopard.server.order.Scene;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A merchant's event feed ({@code /query/events}, PROTOCOL.md 10): its notified changes (see
 * {@code OrderRows.notifies}) from {@code order_changes}, in {@code change_id} order, each with the
 * order as it was after the change, the same fields a notification of it carries.
 *
 * <p>Why a settle window: {@code change_id} is taken when a change is inserted, not when it
 * commits, so under concurrent writers a change with a smaller id can become visible after one with
 * a larger id has been read and passed by a cursor. Only changes whose {@code changed_at} is at
 * least {@code settle} in the past are listed: a change is then visible to every reader, provided
 * its transaction commits within {@code settle} of the time it was stamped with (writes are short
 * transactions, each statement bounded by {@code db.query-timeout}).
 */
public final class EventFeed {
    private static final String SELECT = "SELECT ch.change_id, ch.flow_no, ch.version, ch.to_state, ch.trade_no,"
            + " ch.pay_time, ch.changed_at, o.order_no, o.amount, o.pay_type, o.scene, o.order_time"
            + " FROM order_changes ch JOIN orders o ON o.flow_no = ch.flow_no AND o.mid = ch.mid"
            + " WHERE ch.mid = ? AND ch.change_id > ? AND ch.changed_at <= ?"
            + " AND ch.to_state <> 'INIT' AND (ch.from_state IS NULL OR ch.from_state <> ch.to_state)"
            // mid named too: H2 reads index order_changes_mid in order only when the ORDER BY names it,
            // and sorts every change after the cursor otherwise
            + " ORDER BY ch.mid, ch.change_id LIMIT ?";

    private final Database database;
    private final OrderFields orderFields;
    private final ZoneId zone;
    private final Duration settle;
    private final Clock clock;

    public EventFeed(Database database, ZoneId zone, Duration settle, Clock clock) {
        this.database = database;
        this.orderFields = new OrderFields(zone);
        this.zone = zone;
        this.settle = settle;
        this.clock = clock;
    }

    /** One page of a feed: the events' wire fields, the position of the last one, and whether more were waiting. */
    record Page(List<Map<String, String>> events, long last, boolean hasMore) {
    }

    /** Up to {@code limit} of merchant {@code mid}'s settled events after position {@code after}. */
    Page page(String mid, long after, int limit) {
        try (Connection c = database.connection(); PreparedStatement ps = database.prepare(c, SELECT)) {
            ps.setString(1, mid);
            ps.setLong(2, after);
            ps.setObject(3, LocalDateTime.ofInstant(latestListed(), ZoneOffset.UTC));
            ps.setInt(4, limit + 1); // one more than asked says whether more are waiting
            List<Map<String, String>> events = new ArrayList<>();
            long last = after;
            boolean more = false;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (events.size() == limit) {
                        more = true;
                        break;
                    }
                    last = rs.getLong(1);
                    events.add(event(mid, rs));
                }
            }
            return new Page(events, last, more);
        } catch (SQLException e) {
            throw database.failure("event feed of merchant " + mid + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * The latest {@code changed_at} listed now. Stamps are cut to the second, so a stamp {@code T}
     * stands for a change made in [T, T + 1 s): listing stamps up to {@code now - settle - 1 s}, cut,
     * lists only changes at least {@code settle} old. A zero window (tests; one writer) lists every
     * change stamped up to now.
     */
    private Instant latestListed() {
        Instant now = clock.instant();
        Instant bound = settle.isZero() ? now : now.minus(settle).minusSeconds(1);
        return bound.truncatedTo(ChronoUnit.SECONDS);
    }

    /** eventId, then the order's fields as /query/single answers them (as of the change), then changeTime. */
    private Map<String, String> event(String mid, ResultSet rs) throws SQLException {
        String flowNo = rs.getString(2);
        long version = rs.getLong(3);
        OrderState state = OrderState.fromName(rs.getString(4));
        Scene scene = Scene.fromName(rs.getString(11));
        if (state == null || scene == null) {
            throw new SQLException("change " + flowNo + "-" + version + " has an unknown state or scene");
        }
        Order order = new Order(mid, rs.getString(8), flowNo, rs.getString(5), rs.getBigDecimal(9), rs.getString(10), scene,
                state, instant(rs.getObject(12, LocalDateTime.class)), instant(rs.getObject(6, LocalDateTime.class)));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(Fields.EVENT_ID, flowNo + "-" + version); // as NotificationEvent.eventId: the notification's id
        orderFields.putQueryFields(order, fields);
        fields.put(Fields.CHANGE_TIME, Formats.time(instant(rs.getObject(7, LocalDateTime.class)), zone));
        return fields;
    }

    private static Instant instant(LocalDateTime t) {
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }
}
