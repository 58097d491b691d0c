package io.leopard.server.channel.alipay;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelOrder;

/** The answer codes the Alipay methods share, and what they mean for any of them. */
final class AlipayCodes {
    static final String BUSINESS_FAILED = "40004";
    static final String SERVICE_UNAVAILABLE = "20000";

    private AlipayCodes() {
    }

    /** The trade is not at Alipay: placed under another number, or not scanned yet. */
    static boolean tradeNotExist(AlipayAnswer answer) {
        return BUSINESS_FAILED.equals(answer.code()) && "ACQ.TRADE_NOT_EXIST".equals(answer.subCode());
    }

    /** Alipay failed on its side: nothing about the order is known, asking later may work. */
    static boolean systemError(AlipayAnswer answer) {
        return SERVICE_UNAVAILABLE.equals(answer.code()) || "ACQ.SYSTEM_ERROR".equals(answer.subCode());
    }

    /**
     * The exception for an answer that says nothing about the order: Alipay's own faults count as
     * a channel fault (as an HTTP 5xx would, so a failing Alipay trips the breaker); the rest
     * (bad app id, no permission, bad arguments) as a refusal.
     */
    static ChannelException failure(AlipayAnswer answer) {
        if (systemError(answer)) {
            return new ChannelException(Failure.HTTP_STATUS, "alipay system error, taken as a 5xx: " + answer.detail());
        }
        return new ChannelException(Failure.REFUSED, "alipay refused: " + answer.detail());
    }

    /**
     * A success must name our order: a signed answer about another order (a bug, or an old answer
     * replayed) would otherwise be applied to this one.
     */
    static void requireSameOrder(AlipayAnswer answer, ChannelOrder order) {
        String outTradeNo = answer.require("out_trade_no");
        if (!outTradeNo.equals(order.flowNo())) {
            throw new ChannelException(Failure.MISMATCH, "the alipay answer is about out_trade_no "
                    + AlipayAnswer.quote(outTradeNo) + ", not " + order.flowNo());
        }
    }
}
