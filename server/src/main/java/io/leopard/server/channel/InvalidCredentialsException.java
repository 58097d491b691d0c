package io.leopard.server.channel;

/** Channel credentials that cannot be stored: {@link #field()} is missing or wrong. The message holds no secret. */
public final class InvalidCredentialsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidCredentialsException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
