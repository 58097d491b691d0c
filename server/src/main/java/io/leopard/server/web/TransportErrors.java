package io.leopard.server.web;

import io.helidon.http.DirectHandler;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.leopard.protocol.ErrorCode;
import io.leopard.server.query.FailureAnswer;

/**
 * Answers failures the web server detects before routing (a broken request line, headers,
 * chunked framing or Content-Length) with the protocol's JSON {@code FAIL} body instead of the
 * server's plain text, and without echoing anything of the request.
 */
final class TransportErrors implements DirectHandler {

    /** The protocol's code for an HTTP failure status the web server chose itself. */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.BODY_TOO_LARGE;
            case 415 -> ErrorCode.MEDIA_TYPE_UNSUPPORTED;
            default -> status >= 500 ? ErrorCode.SYSTEM_ERROR : ErrorCode.BAD_REQUEST;
        };
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        ErrorCode code = codeFor(status.code());
        return TransportResponse.builder()
                // SYSTEM_ERROR too carries the HTTP status the protocol gives it (200): never a 500
                .status(Status.create(code.httpStatus()))
                .header(Replies.JSON_UTF8)
                .keepAlive(false)
                .entity(FailureAnswer.body(code, code.message()))
                .build();
    }
}
