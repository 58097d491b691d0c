package io.leopard.sdk;

import java.util.NoSuchElementException;

/**
 * The verified answer to a single query: either {@link #isFound() found} with its
 * {@link #order()}, or not found ({@code ORDER_NOT_EXIST}: this merchant has no such order).
 * "Not found" is a normal answer, not an exception.
 */
public final class SingleResult {
    private final String orderNo;
    private final OrderResult order;

    private SingleResult(String orderNo, OrderResult order) {
        this.orderNo = orderNo;
        this.order = order;
    }

    static SingleResult found(OrderResult order) {
        return new SingleResult(order.orderNo(), order);
    }

    static SingleResult notFound(String orderNo) {
        return new SingleResult(orderNo, null);
    }

    /** The order number asked about. */
    public String orderNo() {
        return orderNo;
    }

    public boolean isFound() {
        return order != null;
    }

    /**
     * The order.
     *
     * @throws NoSuchElementException when it was not found; check {@link #isFound()} first
     */
    public OrderResult order() {
        if (order == null) {
            throw new NoSuchElementException("order " + orderNo + " does not exist for this merchant");
        }
        return order;
    }

    @Override
    public String toString() {
        return order == null ? "SingleResult{orderNo=" + orderNo + ", not found}" : "SingleResult{" + order + '}';
    }
}
