package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * One order as a verified single or batch answer gives it. Times are the platform's wall-clock
 * times ({@link #orderTime()}) and the instants they stand for in the client's configured zone
 * ({@link #orderInstant()}). A batch entry with status 6 ({@link OrderStatus#NO_INFORMATION})
 * carries only {@link #orderNo()} and {@link #status()}: see {@link #isFound()}. Getters documented
 * as nullable return {@code null} when the answer left the field out.
 */
public final class OrderResult {
    private final String orderNo;
    private final OrderStatus status;
    private final String flowNo;
    private final String tradeNo;
    private final BigDecimal amount;
    private final PayType type;
    private final LocalDateTime orderTime;
    private final LocalDateTime payTime;
    private final LocalDateTime confirmTime;
    private final ZoneId zone;

    private OrderResult(String orderNo, OrderStatus status, String flowNo, String tradeNo, BigDecimal amount,
                        PayType type, LocalDateTime orderTime, LocalDateTime payTime, LocalDateTime confirmTime, ZoneId zone) {
        this.orderNo = orderNo;
        this.status = status;
        this.flowNo = flowNo;
        this.tradeNo = tradeNo;
        this.amount = amount;
        this.type = type;
        this.orderTime = orderTime;
        this.payTime = payTime;
        this.confirmTime = confirmTime;
        this.zone = zone;
    }

    static OrderResult from(Map<String, String> fields, ZoneId zone, String where) {
        FieldReader r = new FieldReader(fields, where);
        String orderNo = r.required(Fields.ORDER_NO);
        OrderStatus status = OrderStatus.of(r.required(Fields.STATUS));
        if (status.equals(OrderStatus.NO_INFORMATION)) {
            return new OrderResult(orderNo, status, null, null, null, null, null, null, null, zone);
        }
        return new OrderResult(orderNo, status, r.required(Fields.FLOW_NO), r.optional(Fields.TRADE_NO),
                r.amount(Fields.AMOUNT), PayType.of(r.required(Fields.TYPE)), r.requiredTime(Fields.ORDER_TIME),
                r.optionalTime(Fields.PAY_TIME), r.optionalTime(Fields.CONFIRM_TIME), zone);
    }

    public String orderNo() {
        return orderNo;
    }

    /** Whether the platform has information on the order: false only for batch status 6. */
    public boolean isFound() {
        return !status.equals(OrderStatus.NO_INFORMATION);
    }

    /** The order's status; unknown future values are kept (see {@link OrderStatus#isKnown()}). */
    public OrderStatus status() {
        return status;
    }

    /** Whether the order is paid (status 1). */
    public boolean isPaid() {
        return status.equals(OrderStatus.SUCCESS);
    }

    /** The platform's serial number; {@code null} when not found. */
    public String flowNo() {
        return flowNo;
    }

    /** The channel's transaction number; nullable. */
    public String tradeNo() {
        return tradeNo;
    }

    /** The amount in yuan with scale 2 ({@code 5230.00}); {@code null} when not found. */
    public BigDecimal amount() {
        return amount;
    }

    /** The payment channel; {@code null} when not found. */
    public PayType type() {
        return type;
    }

    /** When the order was created, platform wall-clock time; {@code null} when not found. */
    public LocalDateTime orderTime() {
        return orderTime;
    }

    /** {@link #orderTime()} as an instant in the configured zone; nullable. */
    public Instant orderInstant() {
        return orderTime == null ? null : orderTime.atZone(zone).toInstant();
    }

    /** When the payment succeeded or failed (status 1 or 2); nullable. */
    public LocalDateTime payTime() {
        return payTime;
    }

    /**
     * When the payment channel last confirmed this state (PROTOCOL.md 2.4), in the platform's zone;
     * {@code null} when no channel has.
     */
    public LocalDateTime confirmTime() {
        return confirmTime;
    }

    /** {@link #payTime()} as an instant in the configured zone; nullable. */
    public Instant payInstant() {
        return payTime == null ? null : payTime.atZone(zone).toInstant();
    }

    @Override
    public String toString() {
        if (!isFound()) {
            return "OrderResult{orderNo=" + orderNo + ", status=" + status + " (no information)}";
        }
        return "OrderResult{orderNo=" + orderNo + ", status=" + status + ", amount=" + amount + ", type=" + type
                + ", flowNo=" + flowNo + ", tradeNo=" + tradeNo + ", orderTime=" + orderTime + ", payTime=" + payTime + '}';
    }
}
