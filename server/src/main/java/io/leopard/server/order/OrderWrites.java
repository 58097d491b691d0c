package io.leopard.server.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.server.store.Database;
import io.leopard.server.store.StoreException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The live write path of orders, shared by the internal API and the order-event consumer: each
 * order written is checked as an import row is, merged by PROTOCOL.md 6's moves, and committed
 * before its result is returned. A write is atomic per order: a batch's invalid or conflicting
 * items are left out and the rest are written in one transaction, so a crash leaves each item
 * wholly in or wholly out. Concurrent writers of one order never lose an update: every change
 * takes the next version only if the order is still at the version read, and the change log's
 * (flowNo, version) is unique, so two writers of the same version cannot both commit; the loser
 * is written again on top of what won. There is no order cache: the next query on any node reads
 * what was committed.
 */
public final class OrderWrites {
    /** The most orders {@link #writeAll} takes. */
    public static final int MAX_BATCH = OrderWriter.MAX_BATCH;
    /**
     * How often a write that lost a race is tried again. Each loss means another writer's commit
     * went through, so the system as a whole always progresses; eight writers racing one order
     * settle in a few rounds.
     */
    static final int MAX_ATTEMPTS = 32;

    private final OrderStore store;
    private final ImportRowParser parser;
    private final Clock clock;
    private final java.util.function.Predicate<String> swept;
    private final Map<WriteSource, Map<WriteOutcome, Counter>> counters = new EnumMap<>(WriteSource.class);
    private final Counter retries;

    public OrderWrites(Database database, ZoneId zone, Clock clock, MeterRegistry registry) {
        this(database, zone, clock, registry, mid -> true);
    }

    /**
     * @param swept whose new pending orders join the background channel sync (by mid): merchants with
     *              a channel account. Others' orders cost the sweeper nothing; they are synced when asked
     *              about, once their merchant has an account
     */
    public OrderWrites(Database database, ZoneId zone, Clock clock, MeterRegistry registry,
                       java.util.function.Predicate<String> swept) {
        this.swept = swept;
        this.store = new OrderStore(database);
        this.parser = new ImportRowParser(zone);
        this.clock = clock;
        for (WriteSource source : WriteSource.values()) {
            Map<WriteOutcome, Counter> bySource = new EnumMap<>(WriteOutcome.class);
            for (WriteOutcome outcome : WriteOutcome.values()) {
                bySource.put(outcome, Counter.builder("leopard.order.writes")
                        .description("Orders written live, by source (api, event, sync) and outcome")
                        .tag("source", source.name().toLowerCase(java.util.Locale.ROOT)).tag("outcome", outcome.wireName())
                        .register(registry));
            }
            counters.put(source, bySource);
        }
        this.retries = Counter.builder("leopard.order.write.retries")
                .description("Order writes tried again because a concurrent writer changed the same order first")
                .register(registry);
    }

    /**
     * Writes one order: {@code order} is a JSON object with the fields of {@link OrderJson#FIELDS}
     * ({@code mid} and {@code orderNo} included).
     *
     * @throws StoreException when the database fails (nothing was written)
     */
    public WriteResult write(JsonNode order, WriteSource source) {
        return writeAll(List.of(order), source).get(0);
    }

    /**
     * Writes up to {@link #MAX_BATCH} orders, one result per order in the same order; a later item
     * for the same order is a move of the earlier one.
     *
     * @throws IllegalArgumentException when there are more than {@link #MAX_BATCH}
     * @throws StoreException           when the database fails (nothing was written)
     */
    public List<WriteResult> writeAll(List<JsonNode> orders, WriteSource source) {
        if (orders.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " orders per write; got " + orders.size());
        }
        WriteResult[] results = new WriteResult[orders.size()];
        List<Order> valid = new ArrayList<>(orders.size());
        List<Integer> positions = new ArrayList<>(orders.size());
        Map<String, String> notifyUrls = new java.util.HashMap<>();
        for (int i = 0; i < orders.size(); i++) {
            try {
                Map<String, String> fields = OrderJson.fields(orders.get(i));
                String notifyUrl = notifyUrl(fields);
                Order order = parser.parseFields(fields);
                valid.add(order);
                positions.add(i);
                if (notifyUrl != null) {
                    notifyUrls.put(order.flowNo(), notifyUrl);
                }
            } catch (OrderJson.InvalidFieldException e) {
                results[i] = WriteResult.invalid(e.field(), e.getMessage());
            }
        }
        if (!valid.isEmpty()) {
            List<WriteResult> written = writeWithRetries(valid, source, notifyUrls);
            for (int j = 0; j < written.size(); j++) {
                results[positions.get(j)] = written.get(j);
            }
        }
        Map<WriteOutcome, Counter> count = counters.get(source);
        for (WriteResult r : results) {
            count.get(r.outcome()).increment();
        }
        return List.of(results);
    }

    /**
     * Writes orders the server built itself from what it stores (channel sync: the stored order moved
     * to the state the channel reported), through the same rules and state machine as every write;
     * there is no JSON to check.
     *
     * @throws StoreException when the database fails (nothing was written)
     */
    public List<WriteResult> apply(List<Order> orders, WriteSource source) {
        if (orders.size() > MAX_BATCH) {
            throw new IllegalArgumentException("at most " + MAX_BATCH + " orders per write; got " + orders.size());
        }
        List<WriteResult> results = orders.isEmpty() ? List.of() : writeWithRetries(orders, source, Map.of());
        Map<WriteOutcome, Counter> count = counters.get(source);
        for (WriteResult r : results) {
            count.get(r.outcome()).increment();
        }
        return results;
    }

    /** The write's own notify URL for its order, checked as a merchant's is; {@code null} when it gives none. */
    private static String notifyUrl(Map<String, String> fields) {
        String url = fields.get(OrderJson.NOTIFY_URL);
        if (url == null || url.isEmpty()) {
            return null;
        }
        try {
            io.leopard.server.merchant.MerchantStore.checkNotifyUrl(url);
        } catch (IllegalArgumentException e) {
            throw new OrderJson.InvalidFieldException(OrderJson.NOTIFY_URL, e.getMessage());
        }
        return url;
    }

    private List<WriteResult> writeWithRetries(List<Order> orders, WriteSource source, Map<String, String> notifyUrls) {
        // asked before the transaction: the answer may need the database, and a writer holding its
        // connection must never wait for a second one from the same pool
        java.util.Set<String> sweptMids = new java.util.HashSet<>();
        java.util.Set<String> asked = new java.util.HashSet<>();
        for (Order o : orders) {
            if (asked.add(o.mid()) && swept.test(o.mid())) {
                sweptMids.add(o.mid());
            }
        }
        for (int attempt = 1; ; attempt++) {
            try (OrderWriter writer = store.openWriter(clock, source, sweptMids::contains)) {
                List<WriteResult> results = writer.writeEach(orders, notifyUrls);
                writer.commit();
                return results;
            } catch (ConcurrentWriteException e) {
                if (attempt == MAX_ATTEMPTS) {
                    // without the race as its cause: it is not a refusal of the data, and a caller must
                    // not read its key violation as one
                    throw new StoreException("order write gave up after " + MAX_ATTEMPTS
                            + " attempts: other writers kept changing the same orders (last: " + e.getMessage() + ")", null);
                }
                retries.increment();
                // a short random pause, so that the racing writers do not meet again at once
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(100_000, 1_000_000L * Math.min(attempt, 10)));
            }
        }
    }

    /** The merchant's order with its version and times. */
    public Optional<StoredOrder> find(String mid, String orderNo) {
        return store.findStored(mid, orderNo);
    }
}
