package io.leopard.server.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The live write path of orders, shared by the internal API and the order-event consumer: each
 * order written is checked as an import row is, merged by PROTOCOL.md 6's moves, and committed
 * before its result is returned. A write is atomic per order: a batch's invalid or conflicting
 * items are left out and the rest are written. Concurrent writers of one order never lose an
 * update: every change takes the next version, and two writers of the same version cannot both
 * commit (the change log's (flowNo, version) is unique); the loser is retried on what won.
 */
public final class OrderWrites {
    /** The most orders {@link #writeAll} takes. */
    public static final int MAX_BATCH = OrderWriter.MAX_BATCH;

    public OrderWrites(Database database, ZoneId zone, Clock clock, MeterRegistry registry) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Writes one order: {@code order} is a JSON object with the fields of {@link OrderJson#FIELDS}
     * ({@code mid} and {@code orderNo} included).
     *
     * @throws io.leopard.server.store.StoreException when the database fails (nothing was written)
     */
    public WriteResult write(JsonNode order, WriteSource source) {
        return writeAll(List.of(order), source).get(0);
    }

    /**
     * Writes up to {@link #MAX_BATCH} orders, one result per order in the same order; a later item
     * for the same order is a move of the earlier one.
     *
     * @throws IllegalArgumentException when there are more than {@link #MAX_BATCH}
     * @throws io.leopard.server.store.StoreException when the database fails (nothing was written)
     */
    public List<WriteResult> writeAll(List<JsonNode> orders, WriteSource source) {
        throw new UnsupportedOperationException("TODO");
    }

    /** The merchant's order with its version and times. */
    public Optional<StoredOrder> find(String mid, String orderNo) {
        throw new UnsupportedOperationException("TODO");
    }
}
