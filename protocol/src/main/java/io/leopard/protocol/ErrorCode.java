package io.leopard.protocol;

/**
 * Protocol failures ({@code code} = {@code FAIL}), PROTOCOL.md section 4.1: the request could not
 * be accepted. Such answers are not signed. The order of the constants is not the order of
 * checks; see the protocol page for that.
 */
public enum ErrorCode {
    PARAM_ERROR(200, "参数错误"),
    SIGN_TYPE_UNSUPPORTED(200, "不支持的签名类型"),
    MERCHANT_NOT_EXIST(200, "商户不存在"),
    MERCHANT_DISABLED(200, "商户已停用"),
    SIGN_ERROR(200, "签名错误"),
    /** Replay protection (a merchant that has it): {@code timestamp} missing, malformed or outside the window. */
    TIMESTAMP_EXPIRED(200, "请求时间戳无效或已过期"),
    /** Replay protection: this merchant already sent this {@code noise} within the window. */
    NOISE_REUSED(200, "noise已使用，请求疑似重放"),
    IP_FORBIDDEN(200, "IP地址不在商户白名单内"),
    FREQUENCY_LIMITED(200, "请求过于频繁，请稍后重试"),
    SYSTEM_ERROR(200, "系统繁忙，请稍后重试"),
    BAD_REQUEST(400, "HTTP请求格式错误"),
    NOT_FOUND(404, "接口不存在"),
    METHOD_NOT_ALLOWED(405, "仅支持POST请求"),
    BODY_TOO_LARGE(413, "请求体过大"),
    MEDIA_TYPE_UNSUPPORTED(415, "不支持的媒体类型，请使用表单或JSON");

    private final int httpStatus;
    private final String message;

    ErrorCode(int httpStatus, String message) {
        this.httpStatus = httpStatus;
        this.message = message;
    }

    /** The HTTP status this failure is answered with. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The default human-readable {@code msg} (Chinese, as the platform's documents are). */
    public String message() {
        return message;
    }

    /** Whether a client may retry the same request later and expect a different answer. */
    public boolean isRetryable() {
        return this == SYSTEM_ERROR || this == FREQUENCY_LIMITED;
    }

    /** The constant named {@code name}, or {@code null} for a code this version does not know. */
    public static ErrorCode fromWire(String name) {
        if (name == null) {
            return null;
        }
        for (ErrorCode code : values()) {
            if (code.name().equals(name)) {
                return code;
            }
        }
        return null;
    }
}
