package io.leopard.protocol;

/**
 * A request broke a rule of the protocol. Carries the code to answer with and a message that is
 * safe to send to the caller (it never holds a key or a string-to-sign).
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        if (code == null) {
            throw new IllegalArgumentException("code == null");
        }
        this.code = code;
    }

    public ProtocolException(ErrorCode code) {
        this(code, code.message());
    }

    public ErrorCode code() {
        return code;
    }

    /** A {@code PARAM_ERROR} whose message names the parameter, as the protocol asks. */
    public static ProtocolException param(String name, String problem) {
        return new ProtocolException(ErrorCode.PARAM_ERROR, ErrorCode.PARAM_ERROR.message() + ": " + name + " " + problem);
    }
}
