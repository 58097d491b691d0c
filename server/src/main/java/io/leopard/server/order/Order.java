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
 * @param payTime     when the payment succeeded or failed, {@code null} when unknown
 * @param confirmedAt when the order's channel last confirmed its state (channel sync), {@code null}
 *                    when no channel ever did; kept by the sync, never by writes of the order
 */
public record Order(String mid, String orderNo, String flowNo, String tradeNo, BigDecimal amount,
                    String type, Scene scene, OrderState state, Instant orderTime, Instant payTime,
                    Instant confirmedAt) {

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

    /** An order no channel has confirmed (yet). */
    public Order(String mid, String orderNo, String flowNo, String tradeNo, BigDecimal amount,
                 String type, Scene scene, OrderState state, Instant orderTime, Instant payTime) {
        this(mid, orderNo, flowNo, tradeNo, amount, type, scene, state, orderTime, payTime, null);
    }

    /** This order moved to {@code to} with the channel's trade number and pay time, where it gave them. */
    public Order moved(OrderState to, String newTradeNo, Instant newPayTime) {
        return new Order(mid, orderNo, flowNo, newTradeNo, amount, type, scene, to, orderTime, newPayTime, confirmedAt);
    }

    /** Whether the order was taken card-present (the cashier scanned the customer's code). */
    public boolean isCardPresent() {
        return scene == Scene.BRUSHCARD;
    }
}
