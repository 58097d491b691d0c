package io.leopard.server.channel.wechat;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a verified {@code pay/orderquery} answer says about an order: it must be about the order's
 * {@code out_trade_no} and, when paid, for the order's amount to the fen; anything else is not an
 * answer about this order.
 */
final class WechatQueryAnswer {
    /** WeChat Pay's times are China Standard Time, without a zone in the text. */
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME_END = DateTimeFormatter.ofPattern("uuuuMMddHHmmss");
    private static final Pattern FEN = Pattern.compile("[0-9]{1,18}");

    private WechatQueryAnswer() {
    }

    static ChannelReply read(Map<String, String> answer, ChannelOrder order) {
        if ("FAIL".equals(WechatCall.resultCode(answer))) {
            if ("ORDERNOTEXIST".equals(answer.get("err_code"))) {
                // not placed yet, or not under this number: the order stays pending
                return new ChannelReply.NotKnown(WechatCall.error(answer));
            }
            throw new ChannelException(Failure.REFUSED, "WeChat did not answer the query: " + WechatCall.error(answer));
        }
        String outTradeNo = answer.get("out_trade_no");
        if (outTradeNo == null) {
            throw new ChannelException(Failure.MALFORMED, "WeChat's answer has no out_trade_no");
        }
        if (!outTradeNo.equals(order.flowNo())) {
            throw new ChannelException(Failure.MISMATCH, "WeChat answered about out_trade_no " + WechatCall.detail(outTradeNo)
                    + ", not " + order.flowNo());
        }
        String tradeState = answer.get("trade_state");
        boolean refunded = "REFUND".equals(tradeState);
        ChannelState state = switch (tradeState == null ? "" : tradeState) {
            case "SUCCESS", "REFUND" -> ChannelState.SUCCESS;
            case "NOTPAY", "USERPAYING" -> ChannelState.PENDING;
            case "CLOSED" -> ChannelState.CLOSED;
            case "REVOKED" -> ChannelState.REVOKED;
            case "PAYERROR" -> ChannelState.FAILED;
            default -> throw new ChannelException(Failure.MALFORMED, "WeChat's answer has trade_state " + WechatCall.detail(tradeState));
        };
        String totalFee = answer.get("total_fee");
        boolean paid = state == ChannelState.SUCCESS;
        if (paid && totalFee == null) {
            throw new ChannelException(Failure.MALFORMED, "WeChat's answer for a paid order has no total_fee");
        }
        // checked whenever given: an unpaid order of another amount is another order as well
        BigDecimal amount = totalFee == null ? null : amount(totalFee, order);
        String tradeNo = emptyToNull(answer.get("transaction_id"));
        if (!paid) {
            return new ChannelReply.Known(state, tradeNo, null, null, false);
        }
        return new ChannelReply.Known(state, tradeNo, payTime(answer.get("time_end")), amount, refunded);
    }

    /** {@code total_fee} in yuan, after checking it is the order's amount exactly. */
    private static BigDecimal amount(String totalFee, ChannelOrder order) {
        if (!FEN.matcher(totalFee).matches()) {
            throw new ChannelException(Failure.MALFORMED, "WeChat's answer has total_fee " + WechatCall.detail(totalFee) + ", not a number of fen");
        }
        BigDecimal fen = new BigDecimal(totalFee);
        if (order.amount().movePointRight(2).compareTo(fen) != 0) {
            throw new ChannelException(Failure.MISMATCH, "WeChat's amount for " + order.flowNo() + " is total_fee " + totalFee
                    + " fen, the order's amount is " + order.amount().toPlainString());
        }
        return fen.movePointLeft(2).setScale(2);
    }

    private static Instant payTime(String timeEnd) {
        if (timeEnd == null || timeEnd.isEmpty()) {
            return null;
        }
        try {
            return LocalDateTime.parse(timeEnd, TIME_END).atZone(CHINA).toInstant();
        } catch (DateTimeParseException e) {
            throw new ChannelException(Failure.MALFORMED, "WeChat's answer has time_end " + WechatCall.detail(timeEnd) + ", not yyyyMMddHHmmss");
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
