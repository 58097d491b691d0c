package io.leopard.server.order;

import io.leopard.protocol.Formats;
import io.leopard.protocol.OrderState;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.store.Database;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Orders for tests, and the way tests write them: through the importer, as the server does. */
public final class TestOrders {
    static final String MID = DemoFixture.MID;
    static final String OTHER_MID = DemoFixture.OTHER_MID;
    static final Instant ORDER_TIME = Instant.parse("2016-11-10T02:10:10Z");
    static final Instant PAY_TIME = Instant.parse("2016-11-10T02:13:23Z");

    private TestOrders() {
    }

    /** Adds merchants with throwaway keys: an import refuses orders of a merchant that does not exist. */
    static void addMerchants(Database database, String... mids) {
        MerchantStore merchants = new MerchantStore(database, new KeyCipher(MasterKey.random()));
        for (String mid : mids) {
            merchants.add(mid, "merchant " + mid, "testkey-" + mid);
        }
    }

    /**
     * Writes {@code orders} in list order, all or nothing, through {@link OrderImporter}: as a CSV
     * file of them (times written in UTC) would be. Their merchants must exist ({@link #addMerchants}).
     *
     * @throws ImportException naming the line of the first refused order (the header is line 1)
     */
    public static ImportResult load(OrderStore store, Order... orders) {
        return load(store, List.of(orders));
    }

    /** As {@link #load(OrderStore, Order...)}. */
    public static ImportResult load(OrderStore store, List<Order> orders) {
        StringBuilder csv = new StringBuilder("mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n");
        for (Order o : orders) {
            csv.append(String.join(",", o.mid(), o.orderNo(), o.flowNo(), o.tradeNo() == null ? "" : o.tradeNo(),
                    Formats.amount(o.amount()), o.type(), o.scene().wireName(), o.state().name(),
                    Formats.time(o.orderTime(), ZoneOffset.UTC),
                    o.payTime() == null ? "" : Formats.time(o.payTime(), ZoneOffset.UTC))).append('\n');
        }
        return new OrderImporter(store, ZoneOffset.UTC).importFrom(
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), OrderImporter.Format.CSV);
    }

    static Order order(String mid, String orderNo, String flowNo, OrderState state) {
        return order(mid, orderNo, flowNo, state, Scene.QRCODE);
    }

    static Order order(String mid, String orderNo, String flowNo, OrderState state, Scene scene) {
        return new Order(mid, orderNo, flowNo, state == OrderState.INIT ? null : "T" + flowNo,
                new BigDecimal("5230.00"), "wechat", scene, state, ORDER_TIME,
                state == OrderState.INIT ? null : PAY_TIME);
    }

    static Order withState(Order o, OrderState state) {
        return new Order(o.mid(), o.orderNo(), o.flowNo(), o.tradeNo(), o.amount(), o.type(), o.scene(), state,
                o.orderTime(), o.payTime());
    }
}
