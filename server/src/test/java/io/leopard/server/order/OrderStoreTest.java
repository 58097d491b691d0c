package io.leopard.server.order;

import static io.leopard.server.order.TestOrders.MID;
import static io.leopard.server.order.TestOrders.OTHER_MID;
import static io.leopard.server.order.TestOrders.addMerchants;
import static io.leopard.server.order.TestOrders.load;
import static io.leopard.server.order.TestOrders.order;
import static io.leopard.server.order.TestOrders.withState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.OrderState;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OrderStoreTest {

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void findsWhatWasWrittenExactly(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore store = new OrderStore(t.database());
            Order paid = new Order(MID, "M201611101010100002", "20161101010100198763", "1217752501201407033233368018",
                    new BigDecimal("5230.00"), "wechat", Scene.QRCODE, OrderState.SUCCESS,
                    Instant.parse("2016-11-10T02:10:10Z"), Instant.parse("2016-11-10T02:13:23Z"));
            Order init = order(MID, "a|b*c-d_e", "F2", OrderState.INIT);
            addMerchants(t.database(), MID);
            assertThat(load(store, paid, init)).isEqualTo(new ImportResult(2, 2, 0, 0));
            assertThat(store.find(MID, "M201611101010100002")).contains(paid);
            assertThat(store.find(MID, "a|b*c-d_e")).contains(init);
            assertThat(store.find(MID, "m201611101010100002")).as("order numbers are case-sensitive").isEmpty();
            assertThat(store.find(OTHER_MID, "M201611101010100002")).isEmpty();
        }
    }

    @Test
    void timesDoNotDependOnTheJvmZone() {
        TimeZone saved = TimeZone.getDefault();
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            OrderStore store = new OrderStore(t.database());
            Order o = order(MID, "Z1", "Z1", OrderState.SUCCESS);
            addMerchants(t.database(), MID);
            TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
            load(store, o);
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Tokyo"));
            assertThat(store.find(MID, "Z1").orElseThrow().orderTime()).isEqualTo(o.orderTime());
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            try (Connection c = t.database().connection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT CAST(order_time AS VARCHAR(30)) FROM orders")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("2016-11-10 02:10:10");
            }
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void merchantsSharingAnOrderNumberSeeOnlyTheirOwn(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore store = new OrderStore(t.database());
            Order mine = order(MID, "M201611101010100002", "A1", OrderState.SUCCESS);
            Order theirs = order(OTHER_MID, "M201611101010100002", "B1", OrderState.INIT);
            addMerchants(t.database(), MID, OTHER_MID);
            load(store, mine, theirs);
            assertThat(store.find(MID, "M201611101010100002")).contains(mine);
            assertThat(store.find(OTHER_MID, "M201611101010100002")).contains(theirs);
            assertThat(store.findAll(MID, List.of("M201611101010100002", "nope"))).containsExactly(
                    Map.entry("M201611101010100002", mine));
            assertThat(store.findAll(OTHER_MID, List.of("M201611101010100002"))).containsExactly(
                    Map.entry("M201611101010100002", theirs));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void findAllAnswersEveryBatchSize(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore store = new OrderStore(t.database());
            List<Order> orders = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                orders.add(order(MID, "N" + i, "F" + i, OrderState.INIT));
            }
            addMerchants(t.database(), MID);
            load(store, orders);
            for (int n : new int[] {1, 2, 3, 5, 17, 50, 999, 1000}) {
                List<String> wanted = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    wanted.add("N" + (i * 7 % 1000));
                }
                wanted.add("absent");
                Map<String, Order> found = store.findAll(MID, wanted.subList(0, Math.min(wanted.size(), 1000)));
                assertThat(found).hasSize((int) wanted.stream().filter(w -> !w.equals("absent")).distinct().limit(1000).count());
            }
            assertThat(store.findAll(MID, List.of())).isEmpty();
            List<String> tooMany = new ArrayList<>();
            for (int i = 0; i < 1001; i++) {
                tooMany.add("N" + i);
            }
            assertThatThrownBy(() -> store.findAll(MID, tooMany)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * H2 counts executions per statement text: a batch of 300 must be one query, taking the order
     * numbers as one array, and its plan must look each up on both columns of the unique index.
     */
    @Test
    void findAllIsOneRoundTrip() throws Exception {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            Database db = t.database();
            OrderStore store = new OrderStore(db);
            List<String> wanted = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                wanted.add("N" + i);
            }
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            store.findAll(MID, wanted);
            try (Connection c = db.connection()) {
                Statistics run = statementsRun(c, "SQL_STATEMENT LIKE '%orders%' AND SQL_STATEMENT NOT LIKE '%QUERY_STATISTICS%'");
                String sql = run.lastSql();
                assertThat(run.seen()).containsExactly("1x 2");
                try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
                    explain.setObject(1, wanted.toArray(new String[0]));
                    explain.setString(2, MID);
                    try (ResultSet plan = explain.executeQuery()) {
                        plan.next();
                        assertThat(plan.getString(1)).containsIgnoringCase("ORDERS_MID_ORDER_NO")
                                .contains("MID = ?2").contains("ORDER_NO = WANTED.WANTED_NO");
                    }
                }
            }
        }
    }

    /**
     * The writer reads a batch's stored orders by flow number: on H2 one statement whatever the
     * batch's size (an IN list would show as one text per padded size), the flow numbers one array,
     * each looked up on the primary key (an IN list made H2 compare every row it read with the whole
     * list).
     */
    @Test
    void theWritersLookupOfABatchIsOneArrayJoinedOnTheKey() throws Exception {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            Database db = t.database();
            try (Connection c = db.connection(); Statement s = c.createStatement()) {
                s.execute("SET QUERY_STATISTICS TRUE");
            }
            List<Order> created = new ArrayList<>();
            List<Order> paid = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                created.add(order(MID, "N" + i, "F" + i, OrderState.INIT));
                paid.add(order(MID, "N" + i, "F" + i, OrderState.SUCCESS));
            }
            try (OrderWriter writer = new OrderStore(db).openWriter()) {
                assertThat(writer.write(created).inserted()).isEqualTo(300);
                assertThat(writer.write(paid.subList(0, 7)).updated()).isEqualTo(7);
                assertThat(writer.write(paid).updated()).isEqualTo(293);
                writer.commit();
            }
            try (Connection c = db.connection()) {
                Statistics run = statementsRun(c, "SQL_STATEMENT LIKE '%flow_no = wanted%'");
                String sql = run.lastSql();
                assertThat(run.seen()).as("one text for batches of 300 and of 7").containsExactly("3x 1");
                try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + sql)) {
                    explain.setObject(1, new String[] {"F1", "F2"});
                    try (ResultSet plan = explain.executeQuery()) {
                        plan.next();
                        assertThat(plan.getString(1)).containsIgnoringCase("PRIMARY_KEY")
                                .contains("FLOW_NO = WANTED.WANTED_FLOW");
                    }
                }
            }
        }
    }

    /** H2's statement statistics where {@code where}: "{executions}x {parameters}" each, and the last text. */
    private record Statistics(List<String> seen, String lastSql) {
    }

    private static Statistics statementsRun(Connection c, String where) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT SQL_STATEMENT, EXECUTION_COUNT FROM INFORMATION_SCHEMA.QUERY_STATISTICS WHERE " + where)) {
            List<String> seen = new ArrayList<>();
            String sql = null;
            while (rs.next()) {
                sql = rs.getString(1);
                seen.add(rs.getInt(2) + "x " + sql.chars().filter(ch -> ch == '?').count());
            }
            return new Statistics(seen, sql);
        }
    }

    @Test
    void inListsArePaddedToPowersOfTwo() {
        assertThat(OrderRows.bucket(1)).isEqualTo(1);
        assertThat(OrderRows.bucket(3)).isEqualTo(4);
        assertThat(OrderRows.bucket(50)).isEqualTo(64);
        assertThat(OrderRows.bucket(1000)).isEqualTo(1024);
        assertThat(OrderRows.padded(List.of("a", "b", "c"))).containsExactly("a", "b", "c", "c");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void writesFollowTheStateMachine(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore store = new OrderStore(t.database());
            Order init = order(MID, "S1", "S1", OrderState.INIT);
            Order card = order(MID, "C1", "C1", OrderState.SUCCESS, Scene.BRUSHCARD);
            Order failed = order(MID, "X1", "X1", OrderState.FAILED);
            addMerchants(t.database(), MID);
            load(store, init, card, failed);

            Order paid = order(MID, "S1", "S1", OrderState.SUCCESS);
            assertThat(load(store, paid)).isEqualTo(new ImportResult(1, 0, 1, 0));
            assertThat(store.find(MID, "S1")).contains(paid);
            assertThat(load(store, paid)).isEqualTo(new ImportResult(1, 0, 0, 1));
            // an older snapshot of a moved-on order is not a move back: nothing changes (it is skipped)
            assertThat(load(store, init)).extracting(ImportResult::inserted, ImportResult::updated, ImportResult::backwardsSkipped)
                    .containsExactly(0L, 0L, 1L);
            assertThat(store.find(MID, "S1")).contains(paid);

            assertThatThrownBy(() -> load(store, withState(paid, OrderState.REVOKED)))
                    .isInstanceOf(ImportException.class).hasMessageContaining("only card-present");
            assertThat(load(store, withState(card, OrderState.REVOKED))).isEqualTo(new ImportResult(1, 0, 1, 0));
            assertThatThrownBy(() -> load(store, withState(card, OrderState.CLOSED)))
                    .isInstanceOf(ImportException.class).hasMessageContaining("cannot move from REVOKED to CLOSED");
            assertThat(load(store, withState(failed, OrderState.CLOSED))).isEqualTo(new ImportResult(1, 0, 1, 0));
            assertThatThrownBy(() -> load(store, withState(failed, OrderState.SUCCESS)))
                    .isInstanceOf(ImportException.class).hasMessageContaining("CLOSED to SUCCESS");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void fixedFieldsAndIdentityCannotChangeAndNothingIsWrittenOnConflict(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            OrderStore store = new OrderStore(t.database());
            Order o = order(MID, "O1", "F1", OrderState.SUCCESS);
            addMerchants(t.database(), MID);
            load(store, o);
            Order otherAmount = new Order(MID, "O1", "F1", o.tradeNo(), new BigDecimal("1.00"), o.type(), o.scene(),
                    o.state(), o.orderTime(), o.payTime());
            Order fresh = order(MID, "NEW", "NEW", OrderState.INIT);
            assertThatThrownBy(() -> load(store, fresh, otherAmount))
                    .isInstanceOf(ImportException.class).hasMessageContaining("amount 1.00 differs")
                    .hasMessageStartingWith("line 3: "); // the second order; the header is line 1
            assertThat(store.find(MID, "NEW")).as("all or nothing").isEmpty();
            assertThatThrownBy(() -> load(store, order(MID, "O2", "F1", OrderState.SUCCESS)))
                    .hasMessageContaining("flowNo F1 already belongs to order O1");
            assertThatThrownBy(() -> load(store, order(MID, "O1", "F2", OrderState.SUCCESS)))
                    .hasMessageContaining("already exists with another flowNo, F1");
            Order otherTrade = new Order(MID, "O1", "F1", "OTHER", o.amount(), o.type(), o.scene(), o.state(),
                    o.orderTime(), o.payTime());
            assertThatThrownBy(() -> load(store, otherTrade)).hasMessageContaining("tradeNo OTHER differs");
            // moves within one write apply in order
            Order a = order(MID, "Q1", "Q1", OrderState.INIT);
            assertThat(load(store, a, withState(a, OrderState.FAILED), withState(a, OrderState.CLOSED)))
                    .isEqualTo(new ImportResult(3, 1, 2, 0));
            assertThat(store.find(MID, "Q1").orElseThrow().state()).isEqualTo(OrderState.CLOSED);
        }
    }
}
