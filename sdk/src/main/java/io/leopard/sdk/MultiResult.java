package io.leopard.sdk;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The verified answers to a batch query: one {@link OrderResult} per distinct order number, in
 * the order they were first asked for. Order numbers the merchant does not have come back with
 * status 6 ({@link OrderResult#isFound()} false).
 */
public final class MultiResult {
    private final List<OrderResult> orders;

    private MultiResult(List<OrderResult> orders) {
        this.orders = orders;
    }

    static MultiResult of(List<OrderResult> orders) {
        return new MultiResult(Collections.unmodifiableList(new ArrayList<OrderResult>(orders)));
    }

    /** Every order, in request order; unmodifiable. */
    public List<OrderResult> orders() {
        return orders;
    }

    /** The answer for {@code orderNo}, or {@code null} if it was not asked for. */
    public OrderResult get(String orderNo) {
        for (OrderResult o : orders) {
            if (o.orderNo().equals(orderNo)) {
                return o;
            }
        }
        return null;
    }

    public int size() {
        return orders.size();
    }

    @Override
    public String toString() {
        return "MultiResult" + orders;
    }
}
