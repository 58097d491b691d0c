package io.leopard.server.channel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/** A verified answer of a channel to {@link Channel#query}. */
public sealed interface ChannelReply {

    /**
     * The channel knows the order and says where it stands.
     *
     * @param tradeNo    the channel's transaction number, {@code null} when it gave none
     * @param payTime    when it was paid, {@code null} when not paid or not said
     * @param paidAmount the amount the channel holds for it, in yuan; {@code null} when it gave none.
     *                   The adapter has checked it against the order's amount already
     * @param refunded   the channel reports a refund of the paid order (WeChat REFUND): kept as a
     *                   flag, refunds are not part of the order's state
     */
    record Known(ChannelState state, String tradeNo, Instant payTime, BigDecimal paidAmount, boolean refunded)
            implements ChannelReply {
        public Known {
            Objects.requireNonNull(state, "state");
        }

        public static Known pending() {
            return new Known(ChannelState.PENDING, null, null, null, false);
        }
    }

    /**
     * The channel has no such order (yet): Alipay's ACQ.TRADE_NOT_EXIST before the customer scanned,
     * WeChat's ORDERNOTEXIST. Not a failure of the order, which stays pending.
     */
    record NotKnown(String detail) implements ChannelReply {
    }
}
