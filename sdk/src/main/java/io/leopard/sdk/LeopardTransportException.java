package io.leopard.sdk;

/**
 * No usable answer: connection refused, timeout, I/O error, an answer that is not a flat JSON
 * object (for example an HTML error page of a proxy), or an interrupted wait. Retried when it may
 * pass later: I/O errors and non-JSON answers with HTTP 5xx or 429.
 */
public final class LeopardTransportException extends LeopardException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final boolean retryable;

    LeopardTransportException(String message, Throwable cause, int httpStatus, boolean retryable) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.retryable = retryable;
    }

    /** The HTTP status of the answer, or -1 when there was none. */
    public int httpStatus() {
        return httpStatus;
    }

    @Override
    boolean isRetryable() {
        return retryable;
    }
}
