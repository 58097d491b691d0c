package io.leopard.server.order;

import io.leopard.server.store.Database;
import io.leopard.server.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Orders by merchant: what the query endpoints read, and the checked write path of the importer
 * ({@link #openWriter}). A merchant only ever sees its own orders: every read is keyed by mid.
 * Database failures surface as {@link StoreException}, never as SQL exceptions.
 */
public final class OrderStore {
    /** The most order numbers {@link #findAll} answers in one round trip. */
    public static final int MAX_FIND_ALL = 1000;

    private static final String SELECT = "SELECT " + OrderRows.COLUMNS + " FROM orders WHERE mid = ? AND ";

    private final Database database;

    public OrderStore(Database database) {
        this.database = database;
    }

    /** The merchant's order with this number. */
    public Optional<Order> find(String mid, String orderNo) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, SELECT + "order_no = ?")) {
            ps.setString(1, mid);
            ps.setString(2, orderNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(OrderRows.read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw database.failure("order lookup failed for merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The merchant's orders among {@code orderNos} (at most 1000 distinct), keyed by order number;
     * numbers it does not have are absent. One round trip (see {@link OrderRows#selectByOrderNos}).
     */
    public Map<String, Order> findAll(String mid, List<String> orderNos) {
        List<String> distinct = List.copyOf(new LinkedHashSet<>(orderNos));
        if (distinct.isEmpty()) {
            return Map.of();
        }
        if (distinct.size() > MAX_FIND_ALL) {
            throw new IllegalArgumentException("at most " + MAX_FIND_ALL + " order numbers; got " + distinct.size());
        }
        try (Connection c = database.connection();
             PreparedStatement ps = OrderRows.selectByOrderNos(database, c, mid, distinct)) {
            Map<String, Order> found = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Order o = OrderRows.read(rs);
                    found.put(o.orderNo(), o);
                }
            }
            return found;
        } catch (SQLException e) {
            throw database.failure("batch order lookup failed for merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /**
     * A transaction for writing many batches at once: the only write path, taken by
     * {@link OrderImporter} (and so by the tests, through it).
     */
    OrderWriter openWriter() {
        return openWriter(Clock.systemUTC(), WriteSource.IMPORT);
    }

    /** A write transaction whose changes are recorded as made by {@code source} at {@code clock}'s time. */
    OrderWriter openWriter(Clock clock, WriteSource source) {
        return openWriter(clock, source, mid -> source.schedulesSync());
    }

    /** As {@link #openWriter(Clock, WriteSource)}; {@code swept} says whose new pending orders join the background sync. */
    OrderWriter openWriter(Clock clock, WriteSource source, java.util.function.Predicate<String> swept) {
        return new OrderWriter(database, clock, source, swept);
    }

    /** The merchant's order with its version and times (what the internal API shows). */
    public Optional<StoredOrder> findStored(String mid, String orderNo) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT " + OrderRows.STORED_COLUMNS
                     + " FROM orders WHERE mid = ? AND order_no = ?")) {
            ps.setString(1, mid);
            ps.setString(2, orderNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(OrderRows.readStored(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw database.failure("order lookup failed for merchant " + mid + ": " + e.getMessage(), e);
        }
    }

    /** The order with this platform number, with its version and times (what the sweeper works on). */
    public Optional<StoredOrder> findStoredByFlow(String flowNo) {
        try (Connection c = database.connection();
             PreparedStatement ps = database.prepare(c, "SELECT " + OrderRows.STORED_COLUMNS + " FROM orders WHERE flow_no = ?")) {
            ps.setString(1, flowNo);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(OrderRows.readStored(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw database.failure("order lookup failed for flowNo " + flowNo + ": " + e.getMessage(), e);
        }
    }
}
