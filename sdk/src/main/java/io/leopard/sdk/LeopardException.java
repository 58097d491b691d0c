package io.leopard.sdk;

/**
 * Base of every failure the SDK reports. Unchecked: a merchant usually handles all of them in one
 * place (log, alert, try later), and the checked-exception ceremony would add nothing there.
 * Subclasses say what kind of failure it was:
 * <ul>
 *   <li>{@link LeopardProtocolException}: Leopard refused the request ({@code code=FAIL}) or answered
 *       a business error that is not "order does not exist";</li>
 *   <li>{@link LeopardSignatureException}: a success answer whose signature is missing or wrong;</li>
 *   <li>{@link LeopardResponseException}: a verified answer that breaks the protocol (missing field,
 *       malformed amount, echo that does not match the request);</li>
 *   <li>{@link LeopardTransportException}: no usable answer (I/O error, timeout, not JSON).</li>
 * </ul>
 * Messages never contain the merchant key or a string-to-sign.
 */
public class LeopardException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private int retries;

    LeopardException(String message, Throwable cause) {
        super(message, cause);
    }

    /** How many times the request was retried before this failure was given up on (0: not retried). */
    public int retries() {
        return retries;
    }

    void retries(int retries) {
        this.retries = retries;
    }

    /** Whether the same request may succeed later; only such failures are retried. */
    boolean isRetryable() {
        return false;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        return retries == 0 ? m : m + " (after " + retries + (retries == 1 ? " retry)" : " retries)");
    }
}
