package io.leopard.server.order;

import io.leopard.protocol.OrderState;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@link Order} maps to a row of {@code orders}, and how IN lists are padded. Times are
 * stored as UTC wall-clock values to the second (the wire format has seconds), converted with
 * {@link ZoneOffset#UTC} only: the JVM's default zone must never leak into stored data.
 */
final class OrderRows {
    static final String COLUMNS =
            "flow_no, mid, order_no, trade_no, amount, pay_type, scene, state, order_time, pay_time, synced_at";
    /** {@link #COLUMNS} and what only writers and the internal API read: version, created and updated times. */
    static final String STORED_COLUMNS = COLUMNS + ", version, created_at, updated_at";
    /** A new order; its background sync is due at once (the sweeper then schedules it) unless null. */
    static final String INSERT = "INSERT INTO orders (" + STORED_COLUMNS + ", sync_due_at, notify_url)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** The order's own notify URL, given by a live write (it overrides the merchant's). */
    static final String UPDATE_NOTIFY_URL = "UPDATE orders SET notify_url = ? WHERE flow_no = ?";
    /**
     * A change, only if nobody changed the order since it was read (then no row is updated). An order
     * that leaves INIT leaves the sweeper's schedule with it.
     */
    static final String UPDATE = "UPDATE orders SET state = ?, trade_no = ?, pay_time = ?, version = ?, updated_at = ?,"
            + " sync_due_at = CASE WHEN ? THEN NULL ELSE sync_due_at END"
            + " WHERE flow_no = ? AND version = ?";
    static final String INSERT_CHANGE = "INSERT INTO order_changes (flow_no, mid, order_no, version, from_state, to_state,"
            + " source, changed_at, trade_no, pay_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** A notification to deliver for a change, due at once. */
    static final String INSERT_DELIVERY = "INSERT INTO notify_deliveries (flow_no, version, mid, url, state, attempts, due_at,"
            + " created_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?)";

    /** The largest IN list; a batch query (at most 1000 order numbers) fits in one. */
    static final int MAX_IN = 1024;

    private OrderRows() {
    }

    /**
     * The order in the current row of a result selecting {@link #COLUMNS}, in that order. Columns
     * are read by position: H2 builds a label map per result set for reads by name, which cost more
     * than the row itself.
     */
    static Order read(ResultSet rs) throws SQLException {
        String sceneName = rs.getString(7);
        String stateName = rs.getString(8);
        Scene scene = Scene.fromName(sceneName);
        OrderState state = OrderState.fromName(stateName);
        if (scene == null || state == null) {
            throw new SQLException("order " + rs.getString(1) + " has an unknown scene or state: "
                    + sceneName + "/" + stateName);
        }
        return new Order(rs.getString(2).trim(), rs.getString(3), rs.getString(1),
                rs.getString(4), rs.getBigDecimal(5), rs.getString(6), scene, state,
                instant(rs.getObject(9, LocalDateTime.class)),
                instant(rs.getObject(10, LocalDateTime.class)), millis(rs, 11));
    }

    /** The epoch-millisecond column at {@code index} as an instant, {@code null} when NULL. */
    static Instant millis(ResultSet rs, int index) throws SQLException {
        long value = rs.getLong(index);
        return rs.wasNull() ? null : Instant.ofEpochMilli(value);
    }

    /** The order, version and times in the current row of a result selecting {@link #STORED_COLUMNS}. */
    static StoredOrder readStored(ResultSet rs) throws SQLException {
        return new StoredOrder(read(rs), rs.getLong(12), instant(rs.getObject(13, LocalDateTime.class)),
                instant(rs.getObject(14, LocalDateTime.class)));
    }

    /**
     * Binds {@link #INSERT}: a new order at {@code version} (more than 1 when moved in the batch that
     * created it); {@code scheduleSync}: a pending order joins the background sync.
     */
    static void bindInsert(PreparedStatement ps, Order o, long version, Instant now, boolean scheduleSync, String notifyUrl)
            throws SQLException {
        ps.setString(1, o.flowNo());
        ps.setString(2, o.mid());
        ps.setString(3, o.orderNo());
        ps.setString(4, o.tradeNo());
        ps.setBigDecimal(5, o.amount());
        ps.setString(6, o.type());
        ps.setString(7, o.scene().wireName());
        ps.setString(8, o.state().name());
        ps.setObject(9, utc(o.orderTime()));
        setTime(ps, 10, o.payTime());
        setMillis(ps, 11, o.confirmedAt());
        ps.setLong(12, version);
        ps.setObject(13, utc(now));
        ps.setObject(14, utc(now));
        setMillis(ps, 15, scheduleSync && o.state() == OrderState.INIT ? now : null);
        ps.setString(16, notifyUrl);
    }

    private static void setMillis(PreparedStatement ps, int index, Instant time) throws SQLException {
        if (time == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, time.toEpochMilli());
        }
    }

    /** Binds {@link #UPDATE}: {@code o} at {@code version}, written over {@code readVersion}. */
    static void bindUpdate(PreparedStatement ps, Order o, long version, long readVersion, Instant now) throws SQLException {
        ps.setString(1, o.state().name());
        ps.setString(2, o.tradeNo());
        setTime(ps, 3, o.payTime());
        ps.setLong(4, version);
        ps.setObject(5, utc(now));
        ps.setBoolean(6, o.state() != OrderState.INIT);
        ps.setString(7, o.flowNo());
        ps.setLong(8, readVersion);
    }

    /** Binds {@link #INSERT_CHANGE}: {@code o} reached {@code version} from {@code from} ({@code null} when created). */
    static void bindChange(PreparedStatement ps, Order o, long version, OrderState from, WriteSource source, Instant now)
            throws SQLException {
        ps.setString(1, o.flowNo());
        ps.setString(2, o.mid());
        ps.setString(3, o.orderNo());
        ps.setLong(4, version);
        ps.setString(5, from == null ? null : from.name());
        ps.setString(6, o.state().name());
        ps.setString(7, source.name());
        ps.setObject(8, utc(now));
        ps.setString(9, o.tradeNo());
        setTime(ps, 10, o.payTime());
    }

    /** Binds {@link #INSERT_DELIVERY}: the change of {@code o} to {@code version}, to be told to {@code url}. */
    static void bindDelivery(PreparedStatement ps, Order o, long version, String url, Instant now) throws SQLException {
        ps.setString(1, o.flowNo());
        ps.setLong(2, version);
        ps.setString(3, o.mid());
        ps.setString(4, url);
        ps.setLong(5, now.toEpochMilli());
        ps.setObject(6, utc(now));
    }

    /**
     * Whether a change is one merchants are told of: the order reached a state other than INIT
     * (created already settled, or moved). Its creation as pending and a trade number filled in
     * while pending are recorded, not told.
     */
    static boolean notifies(OrderState from, OrderState to) {
        return to != OrderState.INIT && from != to;
    }

    private static void setTime(PreparedStatement ps, int index, Instant time) throws SQLException {
        if (time == null) {
            ps.setNull(index, Types.TIMESTAMP);
        } else {
            ps.setObject(index, utc(time));
        }
    }

    static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(seconds(instant), ZoneOffset.UTC);
    }

    static Instant instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    /** Times are kept to the second, as the wire writes them. */
    static Instant seconds(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * The IN-list size used for {@code n} values: the next power of two. Few distinct statement
     * texts means the driver and the database can reuse prepared statements and plans.
     */
    static int bucket(int n) {
        if (n < 1 || n > MAX_IN) {
            throw new IllegalArgumentException("an IN list holds 1 to " + MAX_IN + " values; got " + n);
        }
        return Integer.highestOneBit(n) == n ? n : Integer.highestOneBit(n) << 1;
    }

    /** {@code values} padded to its bucket size by repeating the last value (harmless in IN). */
    static List<String> padded(List<String> values) {
        List<String> out = new ArrayList<>(values);
        int size = bucket(values.size());
        String last = values.get(values.size() - 1);
        while (out.size() < size) {
            out.add(last);
        }
        return out;
    }

    /**
     * A bound statement finding one merchant's orders among {@code orderNos} (distinct, 1 to
     * {@link #MAX_IN}): one round trip whatever the count. PostgreSQL and MariaDB get
     * {@code mid = ? AND order_no IN (...)} with the list padded to a power of two, so a handful of
     * statement texts serve every size. H2 uses only the mid column of the (mid, order_no) index for
     * that form, and re-evaluates the whole IN list on every row it reads; joining the order numbers
     * passed as one array makes it look up each on both columns, with one text for every size.
     */
    static PreparedStatement selectByOrderNos(Database database, Connection c, String mid, List<String> orderNos)
            throws SQLException {
        boolean h2 = database.vendor() == DatabaseVendor.H2;
        bucket(orderNos.size()); // 1 to MAX_IN on every database, not only where the list is padded
        List<String> values = h2 ? orderNos : padded(orderNos);
        return prepared(database, c, selectByOrderNosSql(h2, values.size()), ps -> {
            if (h2) {
                bindValues(ps, true, 1, values);
                ps.setString(2, mid);
            } else {
                ps.setString(1, mid);
                bindValues(ps, false, 2, values);
            }
        });
    }

    /**
     * A bound statement reading the stored orders (with their notify URLs) among {@code flowNos}
     * (distinct, 1 to {@link #MAX_IN}), the writer's look-up of a batch. As in
     * {@link #selectByOrderNos}: padded {@code IN (...)} lists on PostgreSQL and MariaDB, one array
     * joined on H2, which would otherwise compare every row it reads with the whole list (a batch of
     * 1,000 moves: about half a million comparisons, 16 % of an H2 server's samples while it moved
     * orders, JFR 2026-12-08).
     */
    static PreparedStatement selectByFlowNos(Database database, Connection c, List<String> flowNos) throws SQLException {
        boolean h2 = database.vendor() == DatabaseVendor.H2;
        bucket(flowNos.size()); // 1 to MAX_IN on every database, not only where the list is padded
        List<String> values = h2 ? flowNos : padded(flowNos);
        return prepared(database, c, selectByFlowNosSql(h2, values.size()), ps -> bindValues(ps, h2, 1, values));
    }

    /** Sets parameters on a statement just prepared. */
    private interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** {@code sql} prepared and bound, or closed again when binding fails. */
    private static PreparedStatement prepared(Database database, Connection c, String sql, Binding binding) throws SQLException {
        PreparedStatement ps = database.prepare(c, sql);
        try {
            binding.bind(ps);
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    /** {@code values} from parameter {@code first} on: one array on H2, one parameter each elsewhere. */
    private static void bindValues(PreparedStatement ps, boolean h2, int first, List<String> values) throws SQLException {
        if (h2) {
            ps.setObject(first, values.toArray(new String[0]));
        } else {
            for (int i = 0; i < values.size(); i++) {
                ps.setString(first + i, values.get(i));
            }
        }
    }

    /** The text of {@link #selectByFlowNos} for {@code n} (already padded) flow numbers. */
    static String selectByFlowNosSql(boolean h2, int n) {
        String columns = STORED_COLUMNS + ", notify_url";
        return h2
                ? "SELECT " + columns + " FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS wanted(wanted_flow)"
                        + " JOIN orders ON orders.flow_no = wanted.wanted_flow"
                : "SELECT " + columns + " FROM orders WHERE flow_no IN (" + placeholders(n) + ")";
    }

    /** The text of {@link #selectByOrderNos} for {@code n} (already padded) order numbers. */
    static String selectByOrderNosSql(boolean h2, int n) {
        return h2
                ? "SELECT " + COLUMNS + " FROM UNNEST(CAST(? AS VARCHAR ARRAY)) AS wanted(wanted_no)"
                        + " JOIN orders ON orders.mid = ? AND orders.order_no = wanted.wanted_no"
                : "SELECT " + COLUMNS + " FROM orders WHERE mid = ? AND order_no IN (" + placeholders(n) + ")";
    }

    /** {@code ?, ?, ?} for {@code n} values. */
    static String placeholders(int n) {
        return "?" + ", ?".repeat(n - 1);
    }
}
