package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayType;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

/**
 * One event of the merchant's feed ({@code client.events}): a change of an order, with the order as
 * it was after it. {@link #eventId()} is the id of the notification of the same change, so an event
 * already handled through a notification can be skipped.
 */
public final class FeedEvent {
    private final String eventId;
    private final long version;
    private final OrderResult order;
    private final LocalDateTime changeTime;

    private FeedEvent(String eventId, long version, OrderResult order, LocalDateTime changeTime) {
        this.eventId = eventId;
        this.version = version;
        this.order = order;
        this.changeTime = changeTime;
    }

    static FeedEvent from(Map<String, String> fields, ZoneId zone, String where) {
        FieldReader r = new FieldReader(fields, where);
        String eventId = r.required(Fields.EVENT_ID);
        OrderResult order = OrderResult.from(fields, zone, where);
        if (!order.isFound()) {
            throw new LeopardResponseException(where + ": event " + eventId + " has status 6 (no information)");
        }
        return new FeedEvent(eventId, EventIds.version(eventId, order.flowNo(), where), order, r.requiredTime(Fields.CHANGE_TIME));
    }

    /** {@code <flowNo>-<version>}. */
    public String eventId() {
        return eventId;
    }

    /** The order's version this change made: of two events of one order, the higher is the later. */
    public long version() {
        return version;
    }

    /** The order as it was after the change (never status 6). */
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

    /** When the change was made, platform wall-clock time. */
    public LocalDateTime changeTime() {
        return changeTime;
    }

    @Override
    public String toString() {
        return "FeedEvent{eventId=" + eventId + ", changeTime=" + changeTime + ", " + order + '}';
    }
}
