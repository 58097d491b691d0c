package io.leopard.server.channel;

/**
 * A channel call that gave no trustworthy answer. Nothing about the order may be concluded from
 * it: the order keeps its stored state and is asked again later. The message names what went wrong
 * (never a credential) and is logged with the request id.
 */
public class ChannelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why there is no answer; the metric tag of the sync outcome. */
    public enum Failure {
        /** The merchant has no credentials for this channel. */
        NOT_CONFIGURED,
        /** Connection refused, reset, TLS failure. */
        UNREACHABLE,
        /** No whole answer within the timeout. */
        TIMEOUT,
        /** An HTTP status other than 200. */
        HTTP_STATUS,
        /** The answer is not what the protocol says: bad XML/JSON, missing fields, too large. */
        MALFORMED,
        /** The answer's signature is missing or wrong. */
        BAD_SIGNATURE,
        /** The answer is about another order or another amount. */
        MISMATCH,
        /** The channel refused the request (bad credentials, no permission, a business error). */
        REFUSED,
        /** Not asked: the channel's circuit breaker is open. */
        TRIPPED,
        /** Not asked: the channel's rate limit is used up. */
        RATE_LIMITED;

        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Failure failure;

    public ChannelException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public ChannelException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    /** Whether the channel itself misbehaved (counts toward its circuit breaker). */
    public boolean isChannelFault() {
        return switch (failure) {
            case UNREACHABLE, TIMEOUT, HTTP_STATUS, MALFORMED, BAD_SIGNATURE -> true;
            default -> false;
        };
    }
}
