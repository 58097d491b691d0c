package io.leopard.server.order;

import io.leopard.protocol.OrderState;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.store.Database;
import java.math.BigDecimal;
import java.time.Instant;

/** Orders for tests. */
final class TestOrders {
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
