package io.leopard.server.order;

import io.leopard.protocol.OrderState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * An order as the platform's store holds it. {@code flowNo} is the platform's key; a merchant's
 * {@code orderNo} is unique per merchant only (two merchants may share one).
 *
 * @param tradeNo the channel's transaction number, {@code null} when unknown
 * @param payTime when the payment succeeded or failed, {@code null} when unknown
 */
public record Order(String mid, String orderNo, String flowNo, String tradeNo, BigDecimal amount,
                    String type, Scene scene, OrderState state, Instant orderTime, Instant payTime) {

    public Order {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(orderNo, "orderNo");
        Objects.requireNonNull(flowNo, "flowNo");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scene, "scene");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(orderTime, "orderTime");
    }

    /** Whether the order was taken card-present (the cashier scanned the customer's code). */
    public boolean isCardPresent() {
        return scene == Scene.BRUSHCARD;
    }
}
