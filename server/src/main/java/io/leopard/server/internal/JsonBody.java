package io.leopard.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.web.BodyReader;
import io.leopard.server.web.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict JSON request bodies of the internal API: declared {@code application/json} (UTF-8), within
 * the size limit, well-formed, no duplicate name, nothing after the value. An administration body is
 * one object with no field it does not know, no {@code null}, every value of its type. Anything else
 * is a {@link Failure} naming the field, which {@link InternalRoutes} answers. Messages never repeat
 * a value (a body may carry a merchant key), only names, positions and what was expected.
 */
final class JsonBody {
    private static final ObjectReader READER = io.leopard.server.order.OrderJson.STRICT_READER;

    private final ObjectNode body;

    private JsonBody(ObjectNode body) {
        this.body = body;
    }

    /**
     * A failed request as its answer: status, error code, message and the field at fault (or
     * {@code null}). Thrown by the endpoints' own checks and sent by {@link #answer}.
     */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String error;
        final String field;

        Failure(int status, String error, String message, String field) {
            super(message, null, false, false);
            this.status = status;
            this.error = error;
            this.field = field;
        }
    }

    static Failure invalid(String field, String message) {
        return new Failure(400, "invalid_field", message, field);
    }

    /**
     * The request's body as an object with only {@code allowed} fields; an absent or empty body is
     * an empty object when {@code optional}. A body must say {@code application/json} (UTF-8).
     */
    static JsonBody read(ServerRequest req, int maxBytes, Set<String> allowed, boolean optional) throws ProtocolException {
        JsonNode node = readAny(req, maxBytes, optional);
        if (node == null) {
            return new JsonBody(InternalReplies.JSON.createObjectNode());
        }
        if (!node.isObject()) {
            throw new Failure(400, "invalid_json", "the body must be a JSON object", null);
        }
        for (var names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String shown = ParamRules.printable(name);
                throw new Failure(400, "unknown_field", "unknown field \"" + shown + "\"; expected " + String.join(", ", allowed), shown);
            }
        }
        return new JsonBody((ObjectNode) node);
    }

    /**
     * The request's body as any JSON value; {@code null} for an absent or empty body when
     * {@code optional} (else that is a failure).
     */
    static JsonNode readAny(ServerRequest req, int maxBytes, boolean optional) throws ProtocolException {
        Exchange exchange = Exchange.of(req);
        exchange.readingBody();
        byte[] bytes = BodyReader.read(req, maxBytes);
        exchange.processing();
        if (bytes.length == 0) {
            if (optional) {
                return null;
            }
            throw new Failure(400, "invalid_json", "a JSON body is required", null);
        }
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        String[] parts = type.split(";", -1);
        boolean json = parts[0].trim().equalsIgnoreCase("application/json");
        for (int i = 1; json && i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
            json = !p.startsWith("charset=") || p.equals("charset=utf-8");
        }
        if (!json) {
            throw new Failure(415, "media_type_unsupported", "the body must be application/json (UTF-8)", null);
        }
        try {
            return READER.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the text it met: it could be a key
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new Failure(400, "invalid_json", "the body is not well-formed JSON" + where, null);
        } catch (java.io.IOException e) {
            throw new Failure(400, "invalid_json", "the body is not well-formed JSON", null);
        }
    }

    boolean has(String field) {
        return body.has(field);
    }

    /** Whether the field is present as {@code null}. */
    boolean isNull(String field) {
        return body.has(field) && body.get(field).isNull();
    }

    private JsonNode present(String field) {
        JsonNode v = body.get(field);
        if (v == null) {
            throw invalid(field, field + " is required");
        }
        if (v.isNull()) {
            throw invalid(field, field + " must not be null");
        }
        return v;
    }

    /** A required string. */
    String text(String field) {
        JsonNode v = present(field);
        if (!v.isTextual()) {
            throw invalid(field, field + " must be a string");
        }
        return v.textValue();
    }

    /** A string, or {@code null} when the field is absent (but not when it is {@code null}). */
    String optionalText(String field) {
        return body.has(field) ? text(field) : null;
    }

    /** A required whole number that fits an {@code int}. */
    int integer(String field) {
        JsonNode v = present(field);
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw invalid(field, field + " must be a whole number");
        }
        return v.intValue();
    }

    /** A required {@code true} or {@code false}. */
    boolean bool(String field) {
        JsonNode v = present(field);
        if (!v.isBoolean()) {
            throw invalid(field, field + " must be true or false");
        }
        return v.booleanValue();
    }

    /** A required array of strings. */
    List<String> texts(String field) {
        JsonNode v = present(field);
        if (!v.isArray()) {
            throw invalid(field, field + " must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw invalid(field, field + " must be an array of strings");
            }
            out.add(item.textValue());
        }
        return out;
    }
}
