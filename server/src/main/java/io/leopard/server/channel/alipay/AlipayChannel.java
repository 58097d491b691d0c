package io.leopard.server.channel.alipay;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelSettings;
import java.net.URI;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alipay's open API (RSA2 keys, JSON answers) as a {@link Channel}: {@code alipay.trade.query} to
 * sync an order, {@code alipay.trade.cancel} or {@code alipay.trade.close} to end it. The order is
 * known at Alipay by the platform's {@code flowNo} as {@code out_trade_no}.
 *
 * <p>Every answer is verified with the account's {@code alipayPublicKey} before it is read (see
 * {@link AlipayAnswer}); what it means is decided by {@link AlipayQuery} and {@link AlipayCancel}.
 */
public final class AlipayChannel implements Channel {
    public static final String NAME = "alipay";
    private static final Logger LOG = LoggerFactory.getLogger(AlipayChannel.class);

    private final URI gateway;
    private final ChannelHttp http;
    private final Clock clock;
    private final AlipayKeys keys = new AlipayKeys();

    public AlipayChannel(ChannelSettings settings, ChannelHttp http, Clock clock) {
        this.gateway = Objects.requireNonNull(settings, "settings").alipayGateway();
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> checkCredentials(Map<String, String> fields) {
        return AlipayCredentials.check(fields);
    }

    @Override
    public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        return call(AlipayQuery.METHOD, AlipayQuery.ELEMENT, order, credentials, timeout,
                answer -> AlipayQuery.reply(answer, order));
    }

    @Override
    public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        String method = AlipayCancel.method(order);
        return call(method, AlipayCancel.element(method), order, credentials, timeout,
                answer -> AlipayCancel.reply(method, answer, order));
    }

    /** One signed call for {@code order}, its answer verified and then read by {@code meaning}. */
    private <T> T call(String method, String element, ChannelOrder order, ChannelCredentials credentials,
                       Duration timeout, Function<AlipayAnswer, T> meaning) {
        try {
            Account account = account(credentials);
            Map<String, String> params = AlipayRequest.params(account.appId(), method,
                    Map.of("out_trade_no", order.flowNo()), clock.instant(), account.privateKey());
            String answer = http.post(gateway, AlipayRequest.CONTENT_TYPE, AlipayRequest.form(params), timeout);
            return meaning.apply(AlipayAnswer.verify(answer, element, account.alipayKey()));
        } catch (ChannelException e) {
            LOG.warn("alipay {} failed, request {} flowNo {}: {} {}", method, order.requestId(), order.flowNo(),
                    e.failure().tag(), e.getMessage());
            throw e;
        }
    }

    private record Account(String appId, PrivateKey privateKey, PublicKey alipayKey) {
    }

    /** The stored credentials, their keys parsed (once per key, see {@link AlipayKeys}). */
    private Account account(ChannelCredentials credentials) {
        String appId = credentials.require(AlipayCredentials.APP_ID);
        try {
            return new Account(appId,
                    keys.privateKey(credentials.require(AlipayCredentials.PRIVATE_KEY)),
                    keys.publicKey(credentials.require(AlipayCredentials.ALIPAY_PUBLIC_KEY)));
        } catch (IllegalArgumentException e) {
            // stored by checkCredentials, so only a row written some other way gets here
            throw new ChannelException(Failure.NOT_CONFIGURED, e.getMessage());
        }
    }
}
