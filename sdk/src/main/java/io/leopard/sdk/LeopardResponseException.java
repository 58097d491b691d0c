package io.leopard.sdk;

/**
 * An answer that is not what the protocol promises although it could be read: no {@code code}, a
 * success with a non-200 HTTP status, a verified answer missing a required field or holding a
 * malformed amount, time or order list, or echoing another merchant or order number. Its content
 * must not be used. Not retried.
 */
public final class LeopardResponseException extends LeopardException {
    private static final long serialVersionUID = 1L;

    LeopardResponseException(String message) {
        super(message, null);
    }
}
