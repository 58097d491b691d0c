package io.leopard.server.channel.alipay;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.CancelReply.Outcome;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelOrder;

/**
 * Ending an expired pending order at Alipay. A card-present order (the cashier scanned the
 * customer's code) is cancelled with {@code alipay.trade.cancel}, which refunds it if the payment
 * went through after all; any other is closed with {@code alipay.trade.close}, which a paid trade
 * refuses.
 *
 * <pre>
 * alipay.trade.cancel  retry_flag Y (any code)          TRY_AGAIN
 *                      10000, action close              CLOSED
 *                      10000, action refund             REVOKED (the payment was given back)
 *                      10000, other or no action        MALFORMED
 *                      40004 ACQ.TRADE_NOT_EXIST        NOT_KNOWN
 * alipay.trade.close   10000                            CLOSED
 *                      40004 ACQ.TRADE_NOT_EXIST        NOT_KNOWN
 *                      ACQ.TRADE_STATUS_ERROR           PAID (not waiting for payment: sync again)
 * both                 20000 or ACQ.SYSTEM_ERROR        TRY_AGAIN
 *                      any other code                   REFUSED
 * </pre>
 */
final class AlipayCancel {
    static final String CANCEL = "alipay.trade.cancel";
    static final String CLOSE = "alipay.trade.close";

    private AlipayCancel() {
    }

    static String method(ChannelOrder order) {
        return order.cardPresent() ? CANCEL : CLOSE;
    }

    /** The response element of {@code method}: its name with {@code _} for {@code .}, and {@code _response}. */
    static String element(String method) {
        return method.replace('.', '_') + "_response";
    }

    static CancelReply reply(String method, AlipayAnswer answer, ChannelOrder order) {
        return new CancelReply(CANCEL.equals(method) ? cancelled(answer, order) : closed(answer, order), answer.detail());
    }

    private static Outcome cancelled(AlipayAnswer answer, ChannelOrder order) {
        if ("Y".equals(answer.text("retry_flag"))) {
            return Outcome.TRY_AGAIN;
        }
        if (answer.isSuccess()) {
            AlipayCodes.requireSameOrder(answer, order);
            String action = answer.text("action");
            if ("close".equals(action)) {
                return Outcome.CLOSED;
            }
            if ("refund".equals(action)) {
                return Outcome.REVOKED;
            }
            throw new ChannelException(Failure.MALFORMED, "alipay cancelled with action "
                    + (action == null ? "(none)" : AlipayAnswer.quote(action)) + ", neither close nor refund");
        }
        return otherwise(answer);
    }

    private static Outcome closed(AlipayAnswer answer, ChannelOrder order) {
        if (answer.isSuccess()) {
            AlipayCodes.requireSameOrder(answer, order);
            return Outcome.CLOSED;
        }
        if ("ACQ.TRADE_STATUS_ERROR".equals(answer.subCode())) {
            return Outcome.PAID;
        }
        return otherwise(answer);
    }

    private static Outcome otherwise(AlipayAnswer answer) {
        if (AlipayCodes.tradeNotExist(answer)) {
            return Outcome.NOT_KNOWN;
        }
        if (AlipayCodes.systemError(answer)) {
            return Outcome.TRY_AGAIN;
        }
        throw AlipayCodes.failure(answer);
    }
}
