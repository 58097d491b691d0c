package io.leopard.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.server.web.Exchange;

/**
 * The JSON answers of the internal API. An error is always
 * {@code {"error": code, "message": text}}, plus {@code "field"} when one field is at fault; the
 * status says the class (400, 401, 404, 409, 413, 415, 503) and {@code error} the exact cause.
 */
public final class InternalReplies {
    /** The one mapper of the internal API: its answers and its request bodies. */
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Header JSON_UTF8 = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    private static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

    private InternalReplies() {
    }

    /** {@code body} as the answer, with its status counted in the request's outcome. */
    public static void send(ServerRequest req, ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an answer that cannot be written as JSON: " + e.getMessage(), e);
        }
        Exchange exchange = Exchange.of(req);
        if (status >= 400 && body instanceof ObjectNode node && node.hasNonNull("error")) {
            exchange.outcome(node.get("error").asText().toUpperCase(java.util.Locale.ROOT), status);
        } else {
            exchange.outcome("OK", status);
        }
        res.status(Status.create(status));
        res.header(JSON_UTF8);
        res.header(NO_STORE);
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, bytes.length));
            res.send();
        } else {
            res.send(bytes);
        }
    }

    /** An error answer; {@code field} may be {@code null}. */
    public static void error(ServerRequest req, ServerResponse res, int status, String error, String message, String field) {
        send(req, res, status, errorBody(error, message, field));
    }

    /** The body of an error answer. */
    public static ObjectNode errorBody(String error, String message, String field) {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", error);
        body.put("message", message);
        if (field != null) {
            body.put("field", field);
        }
        return body;
    }
}
