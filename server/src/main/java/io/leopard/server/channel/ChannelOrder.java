package io.leopard.server.channel;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What a channel is told about an order. The order number the channel knows is the platform's
 * {@code flowNo} ({@code out_trade_no} at WeChat Pay and Alipay): the platform placed the order at
 * the channel under its own unique number, while a merchant's {@code orderNo} is unique per
 * merchant only.
 *
 * @param amount    in yuan, two decimals (WeChat Pay's fen are {@code amount × 100})
 * @param requestId the query or sweep this call is made for, for the logs
 */
public record ChannelOrder(String mid, String orderNo, String flowNo, BigDecimal amount, String type,
                           boolean cardPresent, Instant orderTime, String requestId) {

    public ChannelOrder {
        Objects.requireNonNull(mid, "mid");
        Objects.requireNonNull(orderNo, "orderNo");
        Objects.requireNonNull(flowNo, "flowNo");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(orderTime, "orderTime");
        Objects.requireNonNull(requestId, "requestId");
    }
}
