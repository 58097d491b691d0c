package io.leopard.server.channel;

/** An order's state as a channel reports it, before it meets the platform's state machine. */
public enum ChannelState {
    /** Not paid yet (WeChat NOTPAY/USERPAYING, Alipay WAIT_BUYER_PAY): nothing to write. */
    PENDING,
    SUCCESS,
    FAILED,
    CLOSED,
    REVOKED
}
