package io.leopard.server.order;

import io.leopard.protocol.OrderState;
import java.time.Instant;
import java.util.Objects;

/**
 * The rule for writing an order that already exists. Only {@code state} (by a legal move of
 * PROTOCOL.md 6), {@code tradeNo} and {@code payTime} (each filled in once) may change; everything else
 * must match what is stored.
 *
 * <p>A {@code tradeNo} or {@code payTime} once stored is kept: a write without one leaves it, a write
 * with another is refused.
 *
 * <p>A write whose state is one the stored order has already moved past (e.g. INIT for an order now
 * SUCCESS) is an old snapshot, not a move backwards: it changes nothing. That is what makes
 * importing the same file twice harmless when the file holds several states of one order. A write
 * that is neither a legal move nor such an old snapshot (SUCCESS for a CLOSED order) is refused.
 */
final class OrderMerge {
    private OrderMerge() {
    }

    /**
     * The order as it should be stored after writing {@code incoming} over {@code stored} (the same
     * instance when nothing changes).
     *
     * @throws IllegalArgumentException with the reason when the write is not allowed
     */
    static Order merge(Order stored, Order incoming) {
        if (stored.payTime() != null && incoming.payTime() != null
                && !OrderRows.seconds(stored.payTime()).equals(OrderRows.seconds(incoming.payTime()))) {
            throw new Refused("payTime", "payTime " + incoming.payTime() + " differs from the stored " + stored.payTime()
                    + " of flowNo " + stored.flowNo() + " (a payTime is set once)");
        }
        checkSame("amount", stored.amount().compareTo(incoming.amount()) == 0, stored.amount().toPlainString(),
                incoming.amount().toPlainString());
        checkSame("type", stored.type().equals(incoming.type()), stored.type(), incoming.type());
        checkSame("scene", stored.scene() == incoming.scene(), stored.scene().wireName(), incoming.scene().wireName());
        checkSame("orderTime", Objects.equals(OrderRows.seconds(stored.orderTime()), OrderRows.seconds(incoming.orderTime())),
                String.valueOf(stored.orderTime()), String.valueOf(incoming.orderTime()));
        if (stored.tradeNo() != null && incoming.tradeNo() != null && !stored.tradeNo().equals(incoming.tradeNo())) {
            throw new Refused("tradeNo", "tradeNo " + incoming.tradeNo() + " differs from the stored "
                    + stored.tradeNo() + " of flowNo " + stored.flowNo() + " (a tradeNo is set once)");
        }
        boolean cardPresent = stored.isCardPresent();
        if (stored.state() != incoming.state() && !stored.state().canMoveTo(incoming.state(), cardPresent)) {
            if (incoming.state().canMoveTo(stored.state(), cardPresent)) {
                return stored; // an older snapshot of this order: already applied
            }
            throw new Refused("state", "order " + stored.orderNo() + " cannot move from "
                    + stored.state() + " to " + incoming.state()
                    + (incoming.state() == OrderState.REVOKED && !cardPresent ? " (only card-present orders may be revoked)" : ""));
        }
        // A missing tradeNo or payTime means "not known to this write", not "erase it".
        String tradeNo = stored.tradeNo() != null ? stored.tradeNo() : incoming.tradeNo();
        Instant payTime = stored.payTime() != null ? OrderRows.seconds(stored.payTime()) : OrderRows.seconds(incoming.payTime());
        if (incoming.state() == stored.state() && Objects.equals(tradeNo, stored.tradeNo())
                && Objects.equals(payTime, OrderRows.seconds(stored.payTime()))) {
            return stored;
        }
        return new Order(stored.mid(), stored.orderNo(), stored.flowNo(), tradeNo, stored.amount(), stored.type(),
                stored.scene(), incoming.state(), stored.orderTime(), payTime, stored.confirmedAt());
    }

    private static void checkSame(String field, boolean same, String stored, String incoming) {
        if (!same) {
            throw new Refused(field, field + " " + incoming + " differs from the stored " + stored
                    + " (only state, tradeNo and payTime of an order may change)");
        }
    }

    /** A write refused, naming the field at fault ({@code state} for an illegal move). */
    static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String field;

        Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }
}
