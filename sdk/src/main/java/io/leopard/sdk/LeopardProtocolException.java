package io.leopard.sdk;

import io.leopard.protocol.ErrorCode;

/**
 * Leopard did not answer the query: either a protocol failure ({@code code=FAIL}, unsigned, with
 * {@code errCode} and {@code msg}), or a signed business failure ({@code resultCode=FAIL}) other
 * than {@code ORDER_NOT_EXIST}, which the SDK reports as a "not found" result instead.
 */
public final class LeopardProtocolException extends LeopardException {
    private static final long serialVersionUID = 1L;

    private final String errCode;
    private final String msg;
    private final int httpStatus;
    private final boolean business;

    LeopardProtocolException(String errCode, String msg, int httpStatus, boolean business) {
        super((business ? "Leopard answered resultCode=FAIL: " : "Leopard refused the request: ")
                + errCode + (msg == null || msg.isEmpty() ? "" : " (" + msg + ")")
                + (httpStatus == 200 ? "" : ", HTTP " + httpStatus), null);
        this.errCode = errCode;
        this.msg = msg;
        this.httpStatus = httpStatus;
        this.business = business;
    }

    /** The {@code errCode} as received, e.g. {@code SIGN_ERROR}; never {@code null} (may be empty). */
    public String errCode() {
        return errCode;
    }

    /** The human-readable {@code msg} (or {@code errCodeDes} for a business failure); may be {@code null}. */
    public String msg() {
        return msg;
    }

    /** The known protocol error, or {@code null} for a code this version does not know or a business failure. */
    public ErrorCode errorCode() {
        return business ? null : ErrorCode.fromWire(errCode);
    }

    /** Whether this was a signed {@code resultCode=FAIL} answer rather than a {@code code=FAIL} one. */
    public boolean isBusinessError() {
        return business;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** {@code SYSTEM_ERROR} and {@code FREQUENCY_LIMITED}: the protocol says "retry later". */
    @Override
    boolean isRetryable() {
        ErrorCode code = errorCode();
        return code != null && code.isRetryable();
    }
}
