package io.leopard.server.store;

/**
 * The database failed, was unreachable or too slow. The query path answers {@code SYSTEM_ERROR}
 * for it; the message is for logs only, never for callers.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean shortCircuited;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.shortCircuited = false;
    }

    private StoreException(String message) {
        // thrown at one known place, possibly thousands of times a second: no stack trace
        super(message, null, false, false);
        this.shortCircuited = true;
    }

    /** Refused without asking the database, because the database breaker is open. */
    static StoreException shortCircuited(String message) {
        return new StoreException(message);
    }

    /**
     * Whether the database was not asked at all (the breaker is open): the outage was logged when
     * the breaker opened, so such a request needs no line of its own beyond the access log.
     */
    public boolean isShortCircuited() {
        return shortCircuited;
    }
}
