package io.leopard.sdk;

/**
 * A success answer ({@code code=SUCCESS}) without a signature, or with one that does not match its
 * fields under the merchant key. Its content must not be used. Not retried: a wrong signature
 * points to a wrong key or a tampered channel, which retrying does not fix.
 */
public final class LeopardSignatureException extends LeopardException {
    private static final long serialVersionUID = 1L;

    LeopardSignatureException(String message) {
        super(message, null);
    }
}
