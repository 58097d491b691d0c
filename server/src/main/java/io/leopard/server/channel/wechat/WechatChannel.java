package io.leopard.server.channel.wechat;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat Pay, API v2 (XML, MD5 or HMAC-SHA256 signatures): {@code pay/orderquery} to query,
 * {@code secapi/pay/reverse} (mutual TLS with the merchant's API certificate) to end a
 * card-present order, {@code pay/closeorder} to end any other. Orders are known to WeChat by the
 * platform's {@code flowNo} as {@code out_trade_no}.
 */
public final class WechatChannel implements Channel {
    public static final String NAME = "wechat";
    private static final Logger LOG = LoggerFactory.getLogger(WechatChannel.class);

    private final WechatCall call;
    private final WechatCertClients certClients;
    /** Unused so far: v2 signs no time and WeChat's time_end carries its own zone (China). */
    private final Clock clock;

    public WechatChannel(ChannelSettings settings, ChannelHttp http, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(http, "http");
        this.call = new WechatCall(settings, http);
        this.certClients = new WechatCertClients(http);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> checkCredentials(Map<String, String> fields) {
        return WechatCredentials.check(fields);
    }

    @Override
    public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        try {
            WechatAccount account = WechatAccount.of(credentials);
            Map<String, String> answer = call.post("pay/orderquery", account, Map.of("out_trade_no", order.flowNo()), null, timeout);
            return WechatQueryAnswer.read(answer, order);
        } catch (ChannelException e) {
            throw logged("query", order, e);
        }
    }

    @Override
    public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        try {
            WechatAccount account = WechatAccount.of(credentials);
            Map<String, String> params = Map.of("out_trade_no", order.flowNo());
            CancelReply reply;
            if (order.cardPresent()) {
                if (account.certP12() == null) {
                    throw new ChannelException(ChannelException.Failure.NOT_CONFIGURED,
                            "a card-present order is reversed with the merchant's API certificate, and the wechat credentials have no certP12");
                }
                reply = WechatCancelAnswer.reverse(call.post("secapi/pay/reverse", account, params, certClients.of(order.mid(), account), timeout));
            } else {
                reply = WechatCancelAnswer.close(call.post("pay/closeorder", account, params, null, timeout));
            }
            if (reply.outcome() == CancelReply.Outcome.TRY_AGAIN) {
                LOG.info("wechat cancel of {} (request {}): try again, {}", order.flowNo(), order.requestId(), reply.detail());
            }
            return reply;
        } catch (ChannelException e) {
            throw logged("cancel", order, e);
        }
    }

    /** The one log line of a failed call: its kind and message, never a credential or the request. */
    private static ChannelException logged(String what, ChannelOrder order, ChannelException e) {
        LOG.warn("wechat {} of {} for merchant {} (request {}) failed: {} {}",
                what, order.flowNo(), order.mid(), order.requestId(), e.failure().tag(), e.getMessage());
        return e;
    }

    /** How many mutual-TLS clients are kept (for tests). */
    long certificateClients() {
        return certClients.size();
    }
}
