package io.leopard.server.channel.wechat;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.CancelReply.Outcome;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import java.util.Map;

/** What verified {@code secapi/pay/reverse} and {@code pay/closeorder} answers say. */
final class WechatCancelAnswer {

    private WechatCancelAnswer() {
    }

    /**
     * A reversal. {@code recall=Y} is read first: WeChat asks to call again because the reversal is
     * not done yet, even when the call itself succeeded.
     */
    static CancelReply reverse(Map<String, String> answer) {
        String result = WechatCall.resultCode(answer);
        if ("Y".equals(answer.get("recall"))) {
            return new CancelReply(Outcome.TRY_AGAIN, "recall=Y" + ("FAIL".equals(result) ? " " + WechatCall.error(answer) : ""));
        }
        if ("SUCCESS".equals(result)) {
            return new CancelReply(Outcome.REVOKED, null);
        }
        String detail = WechatCall.error(answer);
        return switch (String.valueOf(answer.get("err_code"))) {
            case "ORDERNOTEXIST" -> new CancelReply(Outcome.NOT_KNOWN, detail);
            // WeChat's own advice for both: call the reversal again
            case "SYSTEMERROR", "USERPAYING" -> new CancelReply(Outcome.TRY_AGAIN, detail);
            default -> throw new ChannelException(Failure.REFUSED, "WeChat did not reverse the order: " + detail);
        };
    }

    /** A close of an order that is not card-present. */
    static CancelReply close(Map<String, String> answer) {
        if ("SUCCESS".equals(WechatCall.resultCode(answer))) {
            return new CancelReply(Outcome.CLOSED, null);
        }
        String detail = WechatCall.error(answer);
        return switch (String.valueOf(answer.get("err_code"))) {
            case "ORDERPAID" -> new CancelReply(Outcome.PAID, detail);
            case "ORDERCLOSED" -> new CancelReply(Outcome.CLOSED, detail);
            case "SYSTEMERROR" -> new CancelReply(Outcome.TRY_AGAIN, detail);
            case "ORDERNOTEXIST" -> new CancelReply(Outcome.NOT_KNOWN, detail);
            default -> throw new ChannelException(Failure.REFUSED, "WeChat did not close the order: " + detail);
        };
    }
}
