package io.leopard.server.order;

import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One write transaction over {@code orders}: batches of orders are checked against what is stored
 * (one lookup per batch, not per order) and written with JDBC batches. Nothing is visible to others
 * until {@link #commit()}; closing without committing rolls everything back, which is how an
 * import of a file with one bad row writes nothing at all.
 */
final class OrderWriter implements AutoCloseable {
    /** The most orders one {@link #write} takes: every lookup then fits one IN list. */
    static final int MAX_BATCH = 1000;

    private final Database database;
    private final Connection connection;
    private final LoadStatistics statistics;
    private final KnownMerchants merchants;
    private boolean committed;

    /** Told of each order of a batch that was skipped as an older snapshot of the stored one. */
    interface OldSnapshots {
        OldSnapshots IGNORE = (index, stored) -> { };

        /**
         * @param index  the order's position in the batch
         * @param stored the order as stored (or written earlier in this transaction) at that point
         */
        void skipped(int index, Order stored);
    }

    OrderWriter(Database database) {
        this.database = database;
        this.connection = database.connection();
        this.merchants = new KnownMerchants(database, connection);
        try {
            connection.setAutoCommit(false);
            statistics = LoadStatistics.start(database, connection);
        } catch (SQLException e) {
            closeQuietly();
            throw database.failure("cannot start an order write: " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code batch} in list order (a later order with the same flowNo is a state move of the
     * earlier one).
     *
     * @throws OrderConflictException naming the position of the first order that may not be written;
     *                                the transaction is then only good for rolling back
     */
    WriteCounts write(List<Order> batch) {
        return write(batch, OldSnapshots.IGNORE);
    }

    /**
     * As {@link #write(List)}, telling {@code oldSnapshots} of each order skipped because the stored
     * one has moved past its state (counted as unchanged).
     */
    WriteCounts write(List<Order> batch, OldSnapshots oldSnapshots) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " orders per batch; got " + batch.size());
        }
        if (batch.isEmpty()) {
            return WriteCounts.NONE;
        }
        try {
            Map<String, Order> byFlow = new HashMap<>();
            Map<String, String> flowByKey = new HashMap<>();
            for (Order o : lookUp(batch)) {
                byFlow.put(o.flowNo(), o);
                flowByKey.put(key(o), o.flowNo());
            }
            Set<String> stored = new LinkedHashSet<>(byFlow.keySet());
            Map<String, Order> changed = new LinkedHashMap<>();
            long inserted = 0;
            long updated = 0;
            long unchanged = 0;
            for (int i = 0; i < batch.size(); i++) {
                Order row = batch.get(i);
                Order current = byFlow.get(row.flowNo());
                String flowOfKey = flowByKey.get(key(row));
                if (current == null && flowOfKey == null) {
                    byFlow.put(row.flowNo(), row);
                    flowByKey.put(key(row), row.flowNo());
                    changed.put(row.flowNo(), row);
                    inserted++;
                    continue;
                }
                if (current == null) {
                    throw new OrderConflictException(i, "order " + row.orderNo() + " of merchant " + row.mid()
                            + " already exists with another flowNo, " + flowOfKey);
                }
                if (!row.flowNo().equals(flowOfKey)) {
                    throw new OrderConflictException(i, "flowNo " + row.flowNo() + " already belongs to order "
                            + current.orderNo() + " of merchant " + current.mid());
                }
                Order merged;
                try {
                    merged = OrderMerge.merge(current, row);
                } catch (IllegalArgumentException e) {
                    throw new OrderConflictException(i, e.getMessage());
                }
                if (merged == current) {
                    if (row.state() != current.state()) {
                        oldSnapshots.skipped(i, current);
                    }
                    unchanged++;
                } else {
                    byFlow.put(row.flowNo(), merged);
                    changed.put(row.flowNo(), merged);
                    updated++;
                }
            }
            flush(changed, stored);
            statistics.inserted(inserted);
            return new WriteCounts(inserted, updated, unchanged);
        } catch (SQLException e) {
            throw database.failure("order write failed: " + e.getMessage(), e);
        }
    }

    /** Stored orders sharing a flowNo or a (mid, orderNo) with the batch: one query per merchant plus one. */
    private List<Order> lookUp(List<Order> batch) throws SQLException {
        Set<String> flowNos = new LinkedHashSet<>();
        Map<String, Set<String>> orderNosByMid = new LinkedHashMap<>();
        for (Order o : batch) {
            flowNos.add(o.flowNo());
            orderNosByMid.computeIfAbsent(o.mid(), m -> new LinkedHashSet<>()).add(o.orderNo());
        }
        List<Order> found = new ArrayList<>();
        List<String> flows = OrderRows.padded(List.copyOf(flowNos));
        try (PreparedStatement ps = database.prepare(connection, "SELECT " + OrderRows.COLUMNS
                + " FROM orders WHERE flow_no IN (" + OrderRows.placeholders(flows.size()) + ")")) {
            for (int i = 0; i < flows.size(); i++) {
                ps.setString(i + 1, flows.get(i));
            }
            read(ps, found);
        }
        for (Map.Entry<String, Set<String>> e : orderNosByMid.entrySet()) {
            try (PreparedStatement ps = OrderRows.selectByOrderNos(database, connection, e.getKey(), List.copyOf(e.getValue()))) {
                read(ps, found);
            }
        }
        return found;
    }

    private void read(PreparedStatement ps, List<Order> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.add(OrderRows.read(rs));
            }
        }
    }

    private void flush(Map<String, Order> changed, Set<String> stored) throws SQLException {
        try (PreparedStatement insert = database.prepare(connection, OrderRows.INSERT);
             PreparedStatement update = database.prepare(connection, OrderRows.UPDATE)) {
            boolean inserts = false;
            boolean updates = false;
            for (Order o : changed.values()) {
                if (stored.contains(o.flowNo())) {
                    OrderRows.bindUpdate(update, o);
                    update.addBatch();
                    updates = true;
                } else {
                    OrderRows.bindInsert(insert, o);
                    insert.addBatch();
                    inserts = true;
                }
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        }
    }

    /** Whether {@code mid} is a merchant, as this transaction sees it. */
    boolean merchantExists(String mid) {
        try {
            return merchants.exists(mid);
        } catch (SQLException e) {
            throw database.failure("merchant lookup failed for " + mid + ": " + e.getMessage(), e);
        }
    }

    /**
     * The transaction's connection, for tests that look at it from inside: what the planner does
     * with this transaction's uncommitted rows can only be seen from this session.
     */
    Connection connection() {
        return connection;
    }

    /** The statistics keeping of this transaction (for tests). */
    LoadStatistics statistics() {
        return statistics;
    }

    void commit() {
        try {
            connection.commit();
            committed = true;
        } catch (SQLException e) {
            throw database.failure("order write could not be committed: " + e.getMessage(), e);
        }
    }

    /** Rolls back unless committed, and returns the connection to the pool. */
    @Override
    public void close() {
        try {
            if (!committed) {
                connection.rollback();
            }
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            // the pool discards a connection in a bad state; the rollback happened or the DB drops it
        } finally {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to do: the pool evicts it
        }
    }

    private static String key(Order o) {
        return o.mid() + '\u0000' + o.orderNo();
    }
}
