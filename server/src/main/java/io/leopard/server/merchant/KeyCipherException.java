package io.leopard.server.merchant;

/**
 * A stored merchant key could not be decrypted: wrong master key, or the stored text was altered
 * or belongs to another merchant. The message never contains key material.
 */
public final class KeyCipherException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyCipherException(String message) {
        super(message);
    }
}
