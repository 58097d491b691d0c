package io.leopard.server.channel.alipay;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What a verified answer to {@code alipay.trade.query} says about the order:
 *
 * <pre>
 * code 10000, trade_status WAIT_BUYER_PAY          PENDING
 *             TRADE_SUCCESS, TRADE_FINISHED       SUCCESS (total_amount must be the order's)
 *             TRADE_CLOSED                         CLOSED
 *             anything else                        MALFORMED
 * code 40004, sub_code ACQ.TRADE_NOT_EXIST         NotKnown (the customer has not scanned yet)
 * code 20000, or sub_code ACQ.SYSTEM_ERROR         HTTP_STATUS: Alipay's own fault, its "5xx"
 * any other code                                   REFUSED
 * </pre>
 */
final class AlipayQuery {
    static final String METHOD = "alipay.trade.query";
    static final String ELEMENT = "alipay_trade_query_response";

    private AlipayQuery() {
    }

    static ChannelReply reply(AlipayAnswer answer, ChannelOrder order) {
        if (answer.isSuccess()) {
            return known(answer, order);
        }
        if (AlipayCodes.tradeNotExist(answer)) {
            return new ChannelReply.NotKnown(answer.detail());
        }
        throw AlipayCodes.failure(answer);
    }

    private static ChannelReply.Known known(AlipayAnswer answer, ChannelOrder order) {
        AlipayCodes.requireSameOrder(answer, order);
        String status = answer.require("trade_status");
        ChannelState state = switch (status) {
            case "WAIT_BUYER_PAY" -> ChannelState.PENDING;
            case "TRADE_SUCCESS", "TRADE_FINISHED" -> ChannelState.SUCCESS;
            case "TRADE_CLOSED" -> ChannelState.CLOSED;
            default -> throw new ChannelException(Failure.MALFORMED, "alipay trade_status " + AlipayAnswer.quote(status) + " is not known");
        };
        // checked whatever the state: another amount under our number is worth an alert even unpaid
        BigDecimal amount = amount(answer, order, state == ChannelState.SUCCESS);
        String tradeNo = answer.text("trade_no");
        if (state != ChannelState.SUCCESS) {
            return new ChannelReply.Known(state, tradeNo, null, null, false);
        }
        String paid = answer.text("send_pay_date");
        Instant payTime = paid == null || paid.isEmpty() ? null : AlipayTime.parse("send_pay_date", paid);
        return new ChannelReply.Known(state, tradeNo, payTime, amount, false);
    }

    private static BigDecimal amount(AlipayAnswer answer, ChannelOrder order, boolean required) {
        String text = required ? answer.require("total_amount") : answer.text("total_amount");
        if (text == null || text.isEmpty()) {
            return null;
        }
        BigDecimal amount;
        try {
            amount = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new ChannelException(Failure.MALFORMED, "alipay total_amount " + AlipayAnswer.quote(text) + " is not a number");
        }
        if (amount.compareTo(order.amount()) != 0) {
            throw new ChannelException(Failure.MISMATCH, "alipay total_amount " + amount.toPlainString()
                    + " is not the order's amount " + order.amount().toPlainString());
        }
        return amount;
    }
}
