package io.leopard.server.sync;

import io.leopard.protocol.OrderState;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.WriteResult;
import io.leopard.server.order.WriteSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a channel said into a write of the order, through {@link OrderWrites} and so through
 * the same state machine as every other write: a sync never overwrites a terminal state, never
 * changes a stored trade number or pay time, and records its change in the order's log as
 * {@code SYNC}. What cannot be applied (the channel says paid, the platform says closed) becomes an
 * alert.
 */
final class SyncApplier {
    private static final Logger LOG = LoggerFactory.getLogger(SyncApplier.class);

    private final OrderWrites writes;
    private final SyncStore store;
    private final SyncAlerts alerts;
    private final Clock clock;

    SyncApplier(OrderWrites writes, SyncStore store, SyncAlerts alerts, Clock clock) {
        this.writes = writes;
        this.store = store;
        this.alerts = alerts;
        this.clock = clock;
    }

    /** The order as it is after applying the channel's answer {@code reply} about {@code stored}. */
    Order apply(Order stored, ChannelOrder asked, String channel, ChannelReply reply) {
        return apply(stored, asked, channel, reply, null).order();
    }

    /**
     * What applying the channel's answer {@code reply} about {@code stored} left: the order as it
     * then is, and whether {@code lease} (when given) was shortened with the confirmation's write.
     */
    Applied apply(Order stored, ChannelOrder asked, String channel, ChannelReply reply, SyncStore.LeaseEnd lease) {
        if (reply instanceof ChannelReply.NotKnown) {
            return new Applied(stored, false); // not placed at the channel yet: still pending, and nothing was confirmed
        }
        ChannelReply.Known known = (ChannelReply.Known) reply;
        Instant now = clock.instant();
        if (known.state() == ChannelState.PENDING) {
            return store.confirmed(stored.flowNo(), stored.state(), now, lease) ? new Applied(confirmed(stored, now), lease != null)
                    : new Applied(stored, false);
        }
        if (known.refunded()) {
            LOG.info("channel {} reports flowNo {} paid and refunded (refunds are not part of the order state)", channel,
                    stored.flowNo());
        }
        return move(stored, asked, channel, target(known.state(), stored.isCardPresent()), known.tradeNo(), known.payTime(), lease);
    }

    /** An applied answer: the order as it is now, and whether the lease given was shortened with it. */
    record Applied(Order order, boolean leaseShortened) {
    }

    /**
     * Writes {@code stored} moved to {@code to} (with the channel's trade number and pay time where
     * it gave them) and returns the order as it then is.
     */
    Order move(Order stored, ChannelOrder asked, String channel, OrderState to, String tradeNo, Instant payTime) {
        return move(stored, asked, channel, to, tradeNo, payTime, null).order();
    }

    private Applied move(Order stored, ChannelOrder asked, String channel, OrderState to, String tradeNo, Instant payTime,
                         SyncStore.LeaseEnd lease) {
        Instant now = clock.instant();
        Order incoming = stored.moved(to, tradeNo != null ? tradeNo : stored.tradeNo(), payTime != null ? payTime : stored.payTime());
        WriteResult result = writes.apply(List.of(incoming), WriteSource.SYNC).get(0);
        Order current = result.stored() == null ? stored : result.stored().order();
        switch (result.outcome()) {
            case CHANGED, UNCHANGED -> {
                return store.confirmed(stored.flowNo(), current.state(), now, lease)
                        ? new Applied(confirmed(current, now), lease != null) : new Applied(current, false);
            }
            default -> {
                // the order moved meanwhile (an API write, an event) to a state the channel contradicts
                boolean paidAfterClose = to == OrderState.SUCCESS && current.state() != OrderState.SUCCESS
                        && current.state() != OrderState.INIT;
                // the same state under another trade number is a contradiction too (a trade number is set once)
                boolean agrees = current.state() == to && (tradeNo == null || tradeNo.equals(current.tradeNo()));
                if (!agrees) {
                    alerts.raise(paidAfterClose ? SyncAlerts.Kind.PAID_AFTER_CLOSE : SyncAlerts.Kind.CONFLICT, asked, channel,
                            "channel says " + to + (tradeNo == null ? "" : " (trade " + tradeNo + ")") + ", the platform holds "
                                    + current.state() + ": " + result.reason());
                }
                return new Applied(current, false);
            }
        }
    }

    /** Raises the alert a {@code MISMATCH} failure stands for: an answer about another amount or order. */
    void mismatch(ChannelOrder asked, String channel, ChannelException e) {
        alerts.raise(SyncAlerts.Kind.MISMATCH, asked, channel, e.getMessage());
    }

    void alert(SyncAlerts.Kind kind, ChannelOrder asked, String channel, String detail) {
        alerts.raise(kind, asked, channel, detail);
    }

    /**
     * The platform state for a channel's: one for one, except that a revoked non-card-present order
     * (which a channel should never report) is closed: only card-present orders may be REVOKED
     * (PROTOCOL.md 6), and the payment is void either way.
     */
    static OrderState target(ChannelState state, boolean cardPresent) {
        return switch (state) {
            case SUCCESS -> OrderState.SUCCESS;
            case FAILED -> OrderState.FAILED;
            case CLOSED -> OrderState.CLOSED;
            case REVOKED -> cardPresent ? OrderState.REVOKED : OrderState.CLOSED;
            case PENDING -> OrderState.INIT;
        };
    }

    private static Order confirmed(Order o, Instant at) {
        return new Order(o.mid(), o.orderNo(), o.flowNo(), o.tradeNo(), o.amount(), o.type(), o.scene(), o.state(),
                o.orderTime(), o.payTime(), at);
    }
}
