package io.leopard.server.order;

import io.leopard.protocol.OrderState;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
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
    private final Clock clock;
    private final WriteSource source;
    private final java.util.function.Predicate<String> swept;
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

    /** @param swept whose new pending orders the background sync takes up (by mid) */
    OrderWriter(Database database, Clock clock, WriteSource source, java.util.function.Predicate<String> swept) {
        this.database = database;
        this.clock = clock;
        this.source = source;
        this.swept = swept;
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
     * one has moved past its state (counted as unchanged). The import's way: all or nothing.
     */
    WriteCounts write(List<Order> batch, OldSnapshots oldSnapshots) {
        List<WriteResult> results = writeEach(batch, false, Map.of());
        long inserted = 0;
        long updated = 0;
        long unchanged = 0;
        for (int i = 0; i < results.size(); i++) {
            WriteResult r = results.get(i);
            switch (r.outcome()) {
                case CREATED -> inserted++;
                case CHANGED -> updated++;
                case UNCHANGED -> unchanged++;
                case LATE -> {
                    oldSnapshots.skipped(i, r.stored().order());
                    unchanged++;
                }
                default -> throw new OrderConflictException(i, r.reason());
            }
        }
        return new WriteCounts(inserted, updated, unchanged);
    }

    /**
     * Applies each order of {@code batch} that may be written, in list order, and says for each
     * what became of it; a refused order is left out and the rest written (the live writes' way).
     * Nothing is visible to others before {@link #commit()}.
     *
     * @throws ConcurrentWriteException when another transaction wrote one of these orders meanwhile;
     *                                  the transaction is then only good for rolling back
     */
    List<WriteResult> writeEach(List<Order> batch) {
        return writeEach(batch, true, Map.of());
    }

    /**
     * As {@link #writeEach(List)}, with orders' own notify URLs (by flowNo), which a live write may
     * give: an order's notifications then go there instead of to its merchant's URL.
     */
    List<WriteResult> writeEach(List<Order> batch, Map<String, String> notifyUrls) {
        return writeEach(batch, true, notifyUrls);
    }

    /** As {@link #writeEach(List)}; the import has asked {@link #merchantExists} for each row already. */
    private List<WriteResult> writeEach(List<Order> batch, boolean checkMerchants, Map<String, String> notifyUrls) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " orders per batch; got " + batch.size());
        }
        if (batch.isEmpty()) {
            return List.of();
        }
        Instant now = OrderRows.seconds(clock.instant());
        try {
            Map<String, Tracked> byFlow = new HashMap<>();
            Map<String, String> flowByKey = new HashMap<>();
            for (Tracked t : lookUpFlows(batch)) {
                byFlow.put(t.order.flowNo(), t);
                flowByKey.put(key(t.order), t.order.flowNo());
            }
            for (Order o : lookUpKeys(batch)) {
                flowByKey.putIfAbsent(key(o), o.flowNo());
            }
            List<WriteResult> results = new ArrayList<>(batch.size());
            List<Change> changes = new ArrayList<>();
            long inserted = 0;
            for (Order row : batch) {
                if (checkMerchants && !merchantExists(row.mid())) {
                    results.add(new WriteResult(WriteOutcome.UNKNOWN_MERCHANT, "mid", "no merchant " + row.mid(), null));
                    continue;
                }
                Tracked current = byFlow.get(row.flowNo());
                String flowOfKey = flowByKey.get(key(row));
                String notifyUrl = notifyUrls.get(row.flowNo());
                if (current == null && flowOfKey == null) {
                    Tracked created = Tracked.created(row, now);
                    created.notifyUrl = notifyUrl;
                    byFlow.put(row.flowNo(), created);
                    flowByKey.put(key(row), row.flowNo());
                    changes.add(new Change(row, 1, null));
                    results.add(new WriteResult(WriteOutcome.CREATED, null, null, created.snapshot()));
                    inserted++;
                    continue;
                }
                if (current == null && row.flowNo().equals(flowOfKey)) {
                    // the key lookup saw the order its flow lookup just missed: another writer committed it
                    // between the two statements (READ COMMITTED); the whole write is tried again on top of it
                    throw new ConcurrentWriteException("order " + row.flowNo() + " was created by another writer meanwhile");
                }
                if (current == null) {
                    results.add(new WriteResult(WriteOutcome.CONFLICT, "flowNo", "order " + row.orderNo() + " of merchant "
                            + row.mid() + " already exists with another flowNo, " + flowOfKey, null));
                    continue;
                }
                if (!row.flowNo().equals(flowOfKey)) {
                    results.add(new WriteResult(WriteOutcome.CONFLICT, "flowNo", "flowNo " + row.flowNo()
                            + " already belongs to order " + current.order.orderNo() + " of merchant " + current.order.mid(),
                            null));
                    continue;
                }
                if (notifyUrl != null && !notifyUrl.equals(current.notifyUrl)) {
                    current.notifyUrl = notifyUrl;
                    current.notifyUrlChanged = current.readVersion != 0;
                }
                Order merged;
                try {
                    merged = OrderMerge.merge(current.order, row);
                } catch (OrderMerge.Refused e) {
                    results.add(new WriteResult(WriteOutcome.CONFLICT, e.field(), e.getMessage(), current.snapshot()));
                    continue;
                }
                if (merged == current.order) {
                    boolean late = row.state() != current.order.state();
                    results.add(new WriteResult(late ? WriteOutcome.LATE : WriteOutcome.UNCHANGED, late ? "state" : null,
                            late ? "order " + row.orderNo() + " is already " + current.order.state() + "; " + row.state()
                                    + " is an older state (it arrived late) and was not applied" : null,
                            current.snapshot()));
                } else {
                    OrderState from = current.order.state();
                    current.change(merged, now);
                    changes.add(new Change(merged, current.version, from));
                    results.add(new WriteResult(WriteOutcome.CHANGED, null, null, current.snapshot()));
                }
            }
            // in flowNo order: two batches touching the same orders lock them in the same order (no deadlock)
            java.util.TreeMap<String, Tracked> inOrder = new java.util.TreeMap<>(byFlow);
            flush(inOrder, changes, now);
            writeNotifyUrls(inOrder.values());
            statistics.inserted(inserted);
            return results;
        } catch (SQLException e) {
            if (ConcurrentWriteException.isConcurrency(e)) {
                throw new ConcurrentWriteException(e);
            }
            throw database.failure("order write failed: " + e.getMessage(), e);
        }
    }

    /** Stored orders sharing a flowNo with the batch, with their versions. */
    private List<Tracked> lookUpFlows(List<Order> batch) throws SQLException {
        Set<String> flowNos = new LinkedHashSet<>();
        for (Order o : batch) {
            flowNos.add(o.flowNo());
        }
        List<Tracked> found = new ArrayList<>();
        try (PreparedStatement ps = OrderRows.selectByFlowNos(database, connection, List.copyOf(flowNos));
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Tracked t = new Tracked(OrderRows.readStored(rs));
                t.notifyUrl = rs.getString(15);
                found.add(t);
            }
        }
        return found;
    }

    /** Stored orders sharing a (mid, orderNo) with the batch: one query per merchant. */
    private List<Order> lookUpKeys(List<Order> batch) throws SQLException {
        Map<String, Set<String>> orderNosByMid = new LinkedHashMap<>();
        for (Order o : batch) {
            orderNosByMid.computeIfAbsent(o.mid(), m -> new LinkedHashSet<>()).add(o.orderNo());
        }
        List<Order> found = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : orderNosByMid.entrySet()) {
            try (PreparedStatement ps = OrderRows.selectByOrderNos(database, connection, e.getKey(), List.copyOf(e.getValue()));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(OrderRows.read(rs));
                }
            }
        }
        return found;
    }

    /**
     * Inserts the new orders, updates the changed ones (each only if still at the version read) and
     * records every change. An update that finds its order moved on, or a change whose (flowNo,
     * version) another writer recorded first, means a concurrent write: {@link ConcurrentWriteException}.
     */
    private void flush(Map<String, Tracked> byFlow, List<Change> changes, Instant now) throws SQLException {
        if (changes.isEmpty()) {
            return;
        }
        Iterable<Tracked> tracked = byFlow.values();
        try (PreparedStatement insert = database.prepare(connection, OrderRows.INSERT);
             PreparedStatement update = database.prepare(connection, OrderRows.UPDATE);
             PreparedStatement change = database.prepare(connection, OrderRows.INSERT_CHANGE);
             PreparedStatement delivery = database.prepare(connection, OrderRows.INSERT_DELIVERY)) {
            int inserts = 0;
            int updates = 0;
            for (Tracked t : tracked) {
                if (t.readVersion == 0) {
                    OrderRows.bindInsert(insert, t.order, t.version, now, source.schedulesSync() && swept.test(t.order.mid()),
                            t.notifyUrl);
                    insert.addBatch();
                    inserts++;
                } else if (t.version != t.readVersion) {
                    OrderRows.bindUpdate(update, t.order, t.version, t.readVersion, now);
                    update.addBatch();
                    updates++;
                }
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (updates > 0) {
                for (int count : update.executeBatch()) {
                    if (count == 0) {
                        throw new ConcurrentWriteException("an order changed since it was read");
                    }
                }
            }
            changes.sort(java.util.Comparator.comparing((Change c) -> c.order.flowNo()).thenComparingLong(c -> c.version));
            int deliveries = 0;
            for (Change c : changes) {
                OrderRows.bindChange(change, c.order, c.version, c.from, source, now);
                change.addBatch();
                if (OrderRows.notifies(c.from, c.order.state())) {
                    // the outbox: the notification is committed with the change, or neither is
                    String own = byFlow.get(c.order.flowNo()).notifyUrl;
                    java.util.Optional<String> url = own != null ? java.util.Optional.of(own) : merchants.notifyUrl(c.order.mid());
                    if (url.isPresent()) {
                        OrderRows.bindDelivery(delivery, c.order, c.version, url.get(), now);
                        delivery.addBatch();
                        deliveries++;
                    }
                }
            }
            change.executeBatch();
            if (deliveries > 0) {
                delivery.executeBatch();
            }
        }
    }

    /** Stores the notify URLs a write gave orders that existed already (new orders got theirs with their insert). */
    private void writeNotifyUrls(Iterable<Tracked> tracked) throws SQLException {
        PreparedStatement update = null;
        try {
            for (Tracked t : tracked) {
                if (t.notifyUrlChanged) {
                    if (update == null) {
                        update = database.prepare(connection, OrderRows.UPDATE_NOTIFY_URL);
                    }
                    update.setString(1, t.notifyUrl);
                    update.setString(2, t.order.flowNo());
                    update.addBatch();
                }
            }
            if (update != null) {
                update.executeBatch();
            }
        } finally {
            if (update != null) {
                update.close();
            }
        }
    }

    /** An order as this transaction has it: as read (version {@code readVersion}; 0 when new) and as it now is. */
    private static final class Tracked {
        private final long readVersion;
        private final Instant createdAt;
        private Order order;
        private long version;
        private Instant updatedAt;
        /** The order's own notify URL ({@code null}: its merchant's), and whether this write changed a stored one. */
        private String notifyUrl;
        private boolean notifyUrlChanged;

        Tracked(StoredOrder stored) {
            this.readVersion = stored.version();
            this.createdAt = stored.createdAt();
            this.order = stored.order();
            this.version = stored.version();
            this.updatedAt = stored.updatedAt();
        }

        private Tracked(Order created, Instant now) {
            this.readVersion = 0;
            this.createdAt = now;
            this.order = created;
            this.version = 1;
            this.updatedAt = now;
        }

        static Tracked created(Order order, Instant now) {
            return new Tracked(order, now);
        }

        void change(Order changed, Instant now) {
            order = changed;
            version++;
            updatedAt = now;
        }

        StoredOrder snapshot() {
            return new StoredOrder(order, version, createdAt, updatedAt);
        }
    }

    /** One accepted change, for the change log: the order after it, its version, and the state before ({@code null}: created). */
    private record Change(Order order, long version, OrderState from) {
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
