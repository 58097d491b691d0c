package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * A verified notification (PROTOCOL.md 9): the order as it was after one change, under the event
 * id that is the same on every retry. Handle an {@link #eventId()} once and answer {@code SUCCESS}
 * to every delivery of it; of two notifications of one order, the higher {@link #version()} is the
 * later state (they may arrive out of order).
 */
public final class Notification {
    private final String mid;
    private final String eventId;
    private final long version;
    private final OrderResult order;
    private final LocalDateTime notifyTime;

    private Notification(String mid, String eventId, long version, OrderResult order, LocalDateTime notifyTime) {
        this.mid = mid;
        this.eventId = eventId;
        this.version = version;
        this.order = order;
        this.notifyTime = notifyTime;
    }

    static Notification from(Map<String, String> fields, ZoneId zone, String where) {
        FieldReader r = new FieldReader(fields, where);
        String eventId = r.required(Fields.EVENT_ID);
        OrderResult order = OrderResult.from(fields, zone, where);
        if (!order.isFound()) {
            throw new LeopardResponseException(where + ": notification " + eventId + " has status 6 (no information)");
        }
        long version = EventIds.version(eventId, order.flowNo(), where);
        return new Notification(r.required(Fields.MID), eventId, version, order, r.requiredTime(Fields.NOTIFY_TIME));
    }

    public String mid() {
        return mid;
    }

    /** {@code <flowNo>-<version>}: the same on every retry, and in the event feed. */
    public String eventId() {
        return eventId;
    }

    /** The order's version this change made. */
    public long version() {
        return version;
    }

    /** The order as it was after the change. */
    public OrderResult order() {
        return order;
    }

    public String orderNo() {
        return order.orderNo();
    }

    public String flowNo() {
        return order.flowNo();
    }

    /** Nullable. */
    public String tradeNo() {
        return order.tradeNo();
    }

    public BigDecimal amount() {
        return order.amount();
    }

    public PayType type() {
        return order.type();
    }

    /** The state the change reached. */
    public OrderStatus status() {
        return order.status();
    }

    public LocalDateTime orderTime() {
        return order.orderTime();
    }

    /** Nullable: present when the status is 1 or 2. */
    public LocalDateTime payTime() {
        return order.payTime();
    }

    /** When this delivery attempt was sent, platform wall-clock time. */
    public LocalDateTime notifyTime() {
        return notifyTime;
    }

    @Override
    public String toString() {
        return "Notification{mid=" + mid + ", eventId=" + eventId + ", notifyTime=" + notifyTime + ", " + order + '}';
    }
}
