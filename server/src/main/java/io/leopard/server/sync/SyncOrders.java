package io.leopard.server.sync;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.order.Order;
import java.util.Locale;
import org.slf4j.Logger;

/** What query-time sync and the sweeper share: the order as a channel sees it, and how a call's outcome is told. */
final class SyncOrders {
    private SyncOrders() {
    }

    static ChannelOrder of(Order order, String requestId) {
        return new ChannelOrder(order.mid(), order.orderNo(), order.flowNo(), order.amount(), order.type(),
                order.isCardPresent(), order.orderTime(), requestId);
    }

    /** The metric outcome of an answer: the state the channel reported, or {@code not_known}. */
    static String outcome(ChannelReply reply) {
        return reply instanceof ChannelReply.Known k ? k.state().name().toLowerCase(Locale.ROOT) : "not_known";
    }

    /** Counts and logs a call that gave no usable answer; a mismatch is also an alert. */
    static void failed(SyncMetrics metrics, SyncApplier applier, Logger log, String channel, String kind, String trigger,
                       ChannelOrder asked, ChannelException e) {
        metrics.call(channel, kind, trigger, e.failure().tag());
        switch (e.failure()) {
            case MISMATCH -> applier.mismatch(asked, channel, e);
            case TRIPPED, RATE_LIMITED -> log.debug("requestId={} {} {} of flowNo {} not made: {}", asked.requestId(), channel,
                    kind, asked.flowNo(), e.getMessage());
            default -> log.warn("requestId={} {} {} of flowNo {} failed ({}): {}", asked.requestId(), channel, kind,
                    asked.flowNo(), e.failure().tag(), e.getMessage());
        }
    }
}
