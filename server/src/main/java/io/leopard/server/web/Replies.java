package io.leopard.server.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import io.leopard.server.query.FailureAnswer;

/** Writes answers: the only place that turns a failure into a response body. */
final class Replies {
    static final Header JSON_UTF8 = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

    private Replies() {
    }

    /** The protocol's failure answer to {@code req} (without its body when {@code req} is HEAD). */
    static void failure(ServerRequest req, ServerResponse res, ErrorCode code, String message) {
        send(req, res, code.httpStatus(), FailureAnswer.body(code, message));
    }

    /**
     * A JSON answer to {@code req}; to HEAD the same status and headers, its length included, and
     * no body (Helidon would send the body, which a kept-alive client then reads as the next
     * answer).
     */
    static void send(ServerRequest req, ServerResponse res, int status, byte[] body) {
        send(req, res, status, body, JSON_UTF8);
    }

    /** As {@link #send(ServerRequest, ServerResponse, int, byte[])}, with another content type (the static pages). */
    static void send(ServerRequest req, ServerResponse res, int status, byte[] body, Header contentType) {
        res.status(Status.create(status));
        res.header(contentType);
        res.header(NO_STORE);
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, body.length));
            res.send();
        } else {
            res.send(body);
        }
    }
}
