package io.leopard.server.order;

import static io.leopard.server.order.TestOrders.MID;
import static io.leopard.server.order.TestOrders.OTHER_MID;
import static io.leopard.server.order.TestOrders.addMerchants;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leopard.protocol.OrderState;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderWritesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    /** The fields of a card-present order of 50.00 in state {@code state}, as the core sends them. */
    static ObjectNode card(String mid, String orderNo, String state) {
        ObjectNode o = JSON.createObjectNode();
        o.put("mid", mid).put("orderNo", orderNo).put("flowNo", "F" + orderNo).put("amount", "50.00")
                .put("type", "wechat").put("scene", "brushcard").put("state", state).put("orderTime", "20161110103000");
        if (!state.equals("INIT")) {
            o.put("tradeNo", "T" + orderNo).put("payTime", "20161110103004");
        }
        return o;
    }

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private OrderWrites writes(Database database) {
        return new OrderWrites(database, ZONE, Clock.fixed(NOW, ZoneOffset.UTC), registry);
    }

    private double counted(String source, String outcome) {
        return registry.get("leopard.order.writes").tag("source", source).tag("outcome", outcome).counter().count();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void createThenMoveThenRepeatEachSayWhatHappened(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            addMerchants(t.database(), MID);
            OrderWrites writes = writes(t.database());
            WriteResult created = writes.write(card(MID, "B1", "INIT"), WriteSource.API);
            assertThat(created.outcome()).isEqualTo(WriteOutcome.CREATED);
            assertThat(created.stored().version()).isEqualTo(1);
            assertThat(writes.write(card(MID, "B1", "INIT"), WriteSource.API).outcome()).isEqualTo(WriteOutcome.UNCHANGED);
            WriteResult paid = writes.write(card(MID, "B1", "SUCCESS"), WriteSource.API);
            assertThat(paid.outcome()).isEqualTo(WriteOutcome.CHANGED);
            assertThat(paid.stored().version()).isEqualTo(2);
            assertThat(paid.stored().order().tradeNo()).isEqualTo("TB1");
            WriteResult revoked = writes.write(card(MID, "B1", "REVOKED").put("payTime", (String) null).put("tradeNo", (String) null),
                    WriteSource.EVENT);
            assertThat(revoked.outcome()).isEqualTo(WriteOutcome.CHANGED);
            StoredOrder stored = writes.find(MID, "B1").orElseThrow();
            assertThat(stored.order().state()).isEqualTo(OrderState.REVOKED);
            assertThat(stored.order().tradeNo()).as("kept when not sent").isEqualTo("TB1");
            assertThat(stored.order().payTime()).isEqualTo(Instant.parse("2016-11-10T02:30:04Z"));
            assertThat(stored.version()).isEqualTo(3);
            assertThat(stored.createdAt()).isEqualTo(NOW);
            assertThat(stored.updatedAt()).isEqualTo(NOW);
            assertThat(new OrderStore(t.database()).find(MID, "B1")).as("what merchants read").contains(stored.order());
            assertThat(changes(t.database(), "FB1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS API",
                    "3 SUCCESS>REVOKED EVENT");
        }
    }

    @Test
    void refusedWritesNameTheFieldOrTheMoveAndChangeNothing() {
        // (counted as conflicts and late writes: see the end)
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            addMerchants(t.database(), MID);
            OrderWrites writes = writes(t.database());
            writes.write(card(MID, "B1", "SUCCESS"), WriteSource.API);
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("amount", "51.00"), "amount", "amount 51.00 differs");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("type", "alipay"), "type", "type alipay differs");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("scene", "qrcode"), "scene", "scene qrcode differs");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("orderTime", "20161110103001"), "orderTime", "orderTime");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("tradeNo", "T2"), "tradeNo", "a tradeNo is set once");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("payTime", "20161110103005"), "payTime", "a payTime is set once");
            assertConflict(writes, card(MID, "B1", "SUCCESS").put("flowNo", "OTHER"), "flowNo", "already exists with another flowNo");
            assertConflict(writes, card(MID, "B2", "SUCCESS").put("flowNo", "FB1"), "flowNo", "already belongs to order B1");
            assertConflict(writes, card(MID, "B1", "FAILED"), "state", "cannot move from SUCCESS to FAILED");
            WriteResult late = writes.write(card(MID, "B1", "INIT"), WriteSource.EVENT);
            assertThat(late.outcome()).isEqualTo(WriteOutcome.LATE);
            assertThat(late.field()).isEqualTo("state");
            assertThat(late.reason()).contains("already SUCCESS");
            assertThat(writes.find(MID, "B1").orElseThrow().version()).isEqualTo(1);
            assertThat(changes(t.database(), "FB1")).hasSize(1);
            assertThat(writes.find(MID, "B2")).isEmpty();
            assertThat(counted("api", "conflict")).isEqualTo(9);
            assertThat(counted("event", "late")).isEqualTo(1);
        }
    }

    private static void assertConflict(OrderWrites writes, JsonNode order, String field, String reason) {
        WriteResult r = writes.write(order, WriteSource.API);
        assertThat(r.outcome()).as(reason).isEqualTo(WriteOutcome.CONFLICT);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.reason()).contains(reason);
    }

    @Test
    void badFieldsAndUnknownMerchantsAreRefusedBeforeAnythingIsWritten() {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            addMerchants(t.database(), MID);
            OrderWrites writes = writes(t.database());
            assertInvalid(writes, card(MID, "B1", "INIT").put("amount", "5.001"), "amount");
            assertInvalid(writes, card(MID, "B1", "INIT").put("amount", true), "amount");
            assertInvalid(writes, card(MID, "B1", "INIT").put("state", "PAID"), "state");
            assertInvalid(writes, card(MID, "B1", "INIT").put("orderTime", "20161310103000"), "orderTime");
            assertInvalid(writes, card(MID, "B1", "INIT").put("payTime", "20161110103004"), "payTime");
            assertInvalid(writes, card(MID, "B1", "INIT").put("colour", "red"), "colour");
            assertInvalid(writes, card(MID, "B1", "INIT").putNull("flowNo"), "flowNo");
            assertInvalid(writes, card(MID, "B1", "INIT").put("mid", "12"), "mid");
            assertInvalid(writes, card(MID, "B1", "INIT").set("scene", JSON.createArrayNode()), "scene");
            assertThat(writes.write(JSON.createArrayNode(), WriteSource.API).outcome()).isEqualTo(WriteOutcome.INVALID);
            WriteResult unknown = writes.write(card(OTHER_MID, "B1", "INIT"), WriteSource.API);
            assertThat(unknown.outcome()).isEqualTo(WriteOutcome.UNKNOWN_MERCHANT);
            assertThat(writes.find(MID, "B1")).isEmpty();
            assertThat(writes.find(OTHER_MID, "B1")).isEmpty();
        }
    }

    private static void assertInvalid(OrderWrites writes, JsonNode order, String field) {
        WriteResult r = writes.write(order, WriteSource.API);
        assertThat(r.outcome()).as(field).isEqualTo(WriteOutcome.INVALID);
        assertThat(r.field()).isEqualTo(field);
        assertThat(r.stored()).isNull();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aBatchWritesEachItemOnItsOwnInOrder(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            addMerchants(t.database(), MID);
            OrderWrites writes = writes(t.database());
            writes.write(card(MID, "OLD", "SUCCESS"), WriteSource.API);
            List<WriteResult> r = writes.writeAll(List.of(
                    card(MID, "N1", "INIT"),
                    card(MID, "N1", "SUCCESS"),          // a move of the item before it
                    card(MID, "N2", "INIT").put("amount", "x"),
                    card(MID, "OLD", "FAILED"),
                    card(MID, "OLD", "SUCCESS"),
                    card(OTHER_MID, "N3", "INIT"),
                    card(MID, "N4", "INIT")), WriteSource.API);
            assertThat(r).extracting(WriteResult::outcome).containsExactly(WriteOutcome.CREATED, WriteOutcome.CHANGED,
                    WriteOutcome.INVALID, WriteOutcome.CONFLICT, WriteOutcome.UNCHANGED, WriteOutcome.UNKNOWN_MERCHANT,
                    WriteOutcome.CREATED);
            assertThat(r.get(1).stored().version()).isEqualTo(2);
            StoredOrder n1 = writes.find(MID, "N1").orElseThrow();
            assertThat(n1.order().state()).isEqualTo(OrderState.SUCCESS);
            assertThat(n1.version()).as("created and moved in one batch: two changes").isEqualTo(2);
            assertThat(writes.find(MID, "N2")).isEmpty();
            assertThat(writes.find(MID, "N4")).isPresent();
            assertThat(changes(t.database(), "FN1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS API");
            assertThat(counted("api", "created")).isEqualTo(3);
            assertThat(counted("api", "invalid")).isEqualTo(1);
            assertThat(counted("api", "unknown_merchant")).isEqualTo(1);
            assertThat(counted("event", "created")).isZero();
            List<WriteResult> full = writes.writeAll(java.util.Collections.nCopies(OrderWrites.MAX_BATCH,
                    card(MID, "N8", "INIT")), WriteSource.EVENT);
            assertThat(full).hasSize(OrderWrites.MAX_BATCH);
            assertThat(counted("event", "created")).isEqualTo(1);
            assertThat(counted("event", "unchanged")).isEqualTo(OrderWrites.MAX_BATCH - 1);
            assertThatThrownBy(() -> writes.writeAll(java.util.Collections.nCopies(OrderWrites.MAX_BATCH + 1,
                    card(MID, "N9", "INIT")), WriteSource.API)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Eight writers race one card-present order through its moves, each sending every state in turn
     * (create, pay, revoke) many times. Whatever interleaving the database picks, the order ends
     * REVOKED, each accepted change took the next version, the change log holds exactly one legal
     * change per version, and the writers' CREATED/CHANGED answers add up to it.
     */
    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void racingWritersNeverLoseAnUpdate(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            addMerchants(t.database(), MID);
            OrderWrites writes = writes(t.database());
            int writers = 8;
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<WriteResult>>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    List<WriteResult> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        for (String state : List.of("INIT", "SUCCESS", "REVOKED")) {
                            mine.add(writes.write(card(MID, "R1", state), WriteSource.API));
                        }
                    }
                    return mine;
                }));
            }
            start.countDown();
            List<WriteResult> all = new ArrayList<>();
            for (Future<List<WriteResult>> f : futures) {
                all.addAll(f.get(120, TimeUnit.SECONDS));
            }
            pool.shutdownNow();
            long accepted = all.stream().filter(r -> r.outcome() == WriteOutcome.CREATED || r.outcome() == WriteOutcome.CHANGED).count();
            assertThat(all).extracting(WriteResult::outcome).doesNotContain(WriteOutcome.CONFLICT, WriteOutcome.INVALID);
            assertThat(all.stream().filter(r -> r.outcome() == WriteOutcome.CREATED)).hasSize(1);
            StoredOrder end = writes.find(MID, "R1").orElseThrow();
            assertThat(end.order().state()).isEqualTo(OrderState.REVOKED);
            assertThat(changes(t.database(), "FR1")).containsExactly("1 null>INIT API", "2 INIT>SUCCESS API",
                    "3 SUCCESS>REVOKED API");
            assertThat(end.version()).isEqualTo(3).isEqualTo(accepted);
        }
    }

    /** The change log of one order: "version from>to source" in version order. */
    static List<String> changes(Database database, String flowNo) {
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement("SELECT version, from_state, to_state, source FROM order_changes"
                     + " WHERE flow_no = ? ORDER BY version")) {
            ps.setString(1, flowNo);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + " " + rs.getString(2) + ">" + rs.getString(3) + " " + rs.getString(4));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
