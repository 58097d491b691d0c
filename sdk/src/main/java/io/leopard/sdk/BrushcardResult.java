package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.PayStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * The verified answer to a card-present query. Not found ({@code ORDER_NOT_EXIST}, also for
 * orders not taken card-present) is a normal answer: {@link #isFound()} false, and every getter
 * but {@link #orderNo()} returns {@code null}.
 */
public final class BrushcardResult {
    private final String orderNo;
    private final PayStatus payStatus;
    private final String flowNo;
    private final String tradeNo;
    private final BigDecimal orderAmount;
    private final BigDecimal succAmount;
    private final LocalDateTime payTime;
    private final LocalDateTime confirmTime;
    private final ZoneId zone;

    private BrushcardResult(String orderNo, PayStatus payStatus, String flowNo, String tradeNo,
                            BigDecimal orderAmount, BigDecimal succAmount, LocalDateTime payTime,
                            LocalDateTime confirmTime, ZoneId zone) {
        this.orderNo = orderNo;
        this.payStatus = payStatus;
        this.flowNo = flowNo;
        this.tradeNo = tradeNo;
        this.orderAmount = orderAmount;
        this.succAmount = succAmount;
        this.payTime = payTime;
        this.confirmTime = confirmTime;
        this.zone = zone;
    }

    static BrushcardResult from(Map<String, String> fields, ZoneId zone, String where) {
        FieldReader r = new FieldReader(fields, where);
        return new BrushcardResult(r.required(Fields.ORDER_NO), PayStatus.of(r.required(Fields.PAY_STATUS)),
                r.required(Fields.FLOW_NO), r.optional(Fields.TRADE_NO), r.amount(Fields.ORDER_AMOUNT),
                r.amount(Fields.SUCC_AMOUNT), r.optionalTime(Fields.PAY_TIME), r.optionalTime(Fields.CONFIRM_TIME), zone);
    }

    static BrushcardResult notFound(String orderNo) {
        return new BrushcardResult(orderNo, null, null, null, null, null, null, null, null);
    }

    public String orderNo() {
        return orderNo;
    }

    public boolean isFound() {
        return payStatus != null;
    }

    /** 1 paid, 2 failed, 5 pending, 10 revoked; unknown future values kept. {@code null} when not found. */
    public PayStatus payStatus() {
        return payStatus;
    }

    public String flowNo() {
        return flowNo;
    }

    /** Nullable. */
    public String tradeNo() {
        return tradeNo;
    }

    /** The order amount in yuan, scale 2. */
    public BigDecimal orderAmount() {
        return orderAmount;
    }

    /** The amount paid and kept: the order amount when paid, else {@code 0.00}. */
    public BigDecimal succAmount() {
        return succAmount;
    }

    /** When the payment succeeded or failed, platform wall-clock time; nullable. */
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
            return "BrushcardResult{orderNo=" + orderNo + ", not found}";
        }
        return "BrushcardResult{orderNo=" + orderNo + ", payStatus=" + payStatus + ", orderAmount=" + orderAmount
                + ", succAmount=" + succAmount + ", flowNo=" + flowNo + ", tradeNo=" + tradeNo + ", payTime=" + payTime + '}';
    }
}
