package io.leopard.server;

/** The server cannot start; the message names the cause and what to do about it. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StartupException(String message) {
        super(message);
    }
}
