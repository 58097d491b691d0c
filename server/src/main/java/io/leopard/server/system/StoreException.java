package io.leopard.server.system;

/**
 * The database failed, was unreachable or too slow. The query path answers {@code SYSTEM_ERROR}
 * for it; the message is for logs only, never for callers.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
