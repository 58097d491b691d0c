package io.leopard.server.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.leopard.protocol.ErrorCode;

/** The methods a path is served with, as its {@code Allow} header and its 405 message say. */
enum Allowed {
    /** Pages to read: the index, health and metrics. */
    GET_HEAD(HeaderValues.createCached(HeaderNames.ALLOW, "GET, HEAD"), "仅支持GET请求"),
    /** The query endpoints. */
    POST(HeaderValues.createCached(HeaderNames.ALLOW, "POST"), ErrorCode.METHOD_NOT_ALLOWED.message());

    private final Header header;
    private final String message;

    Allowed(Header header, String message) {
        this.header = header;
        this.message = message;
    }

    Header header() {
        return header;
    }

    String message() {
        return message;
    }
}
