package io.leopard.server.channel;

import java.time.Duration;
import java.util.Map;

/**
 * A payment channel (WeChat Pay, Alipay, the sandbox) as order sync sees it: where the truth about
 * a pending order is. An adapter speaks the channel's own protocol, verifies every answer it gets
 * (signature, order number, amount) and never lets an unverified answer through: what it returns
 * is either a verified {@link ChannelReply} or a typed {@link ChannelException}.
 *
 * <p>Adapters are stateless and shared by every merchant: a merchant's credentials come with each
 * call. They must be safe to call from many threads at once.
 */
public interface Channel {

    /** The name merchants are set to and orders' {@code type} names: {@code wechat}, {@code alipay}, {@code sandbox}. */
    String name();

    /**
     * The merchant's credentials for this channel as they are to be stored, checked and normalized
     * (for example PEM keys parsed once, so a bad key is refused when set, not at the first sync).
     *
     * @param fields the credential fields as given to {@code PUT /internal/v1/merchants/{mid}/channels/{name}}
     * @throws InvalidCredentialsException naming the first field that is missing or wrong; its
     *                                     message never contains a secret
     */
    Map<String, String> checkCredentials(Map<String, String> fields);

    /**
     * Asks the channel what became of {@code order}.
     *
     * @param timeout how long the whole call may take, answer read included
     * @throws ChannelException when the channel could not be asked or its answer cannot be trusted
     */
    ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout);

    /**
     * Asks the channel to end {@code order}, which is still pending at its expiry: a card-present
     * order is reversed (the customer's payment, if it went through after all, is given back), any
     * other is closed (nobody can pay it any more).
     *
     * @throws ChannelException when the channel could not be asked or its answer cannot be trusted
     */
    CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout);
}
