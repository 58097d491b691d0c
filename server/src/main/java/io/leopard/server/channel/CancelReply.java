package io.leopard.server.channel;

/**
 * A verified answer of a channel to {@link Channel#cancel}.
 *
 * @param detail the channel's own words (error code and message), for the log and alerts
 */
public record CancelReply(Outcome outcome, String detail) {

    public enum Outcome {
        /** Closed: nobody can pay it any more. */
        CLOSED,
        /** Reversed: a card-present payment is void (given back if it had been taken). */
        REVOKED,
        /** The channel refused because the order is paid: sync again and record SUCCESS. */
        PAID,
        /** The channel has no such order: it can be closed locally. */
        NOT_KNOWN,
        /** The channel asks to try again later (WeChat's {@code recall=Y}, a system error). */
        TRY_AGAIN
    }

    public static CancelReply of(Outcome outcome) {
        return new CancelReply(outcome, null);
    }
}
