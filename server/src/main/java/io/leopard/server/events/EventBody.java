package io.leopard.server.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * An event's body as the order write path takes it: one flat JSON object (the import file's fields
 * plus {@code mid} and {@code orderNo}), strictly parsed (a repeated name or anything after the
 * object is malformed), at most {@link #MAX_BYTES}. What is not such an object is a dead letter.
 */
final class EventBody {
    /** Far more than any order (~300 bytes): a bigger body is not an order event. */
    static final int MAX_BYTES = 64 * 1024;
    private static final ObjectReader READER = io.leopard.server.order.OrderJson.STRICT_READER;

    private EventBody() {
    }

    /** The order object of {@code body}. */
    static JsonNode parse(byte[] body) throws Refused {
        if (body == null || body.length == 0) {
            throw new Refused("malformed", "the event has no body");
        }
        if (body.length > MAX_BYTES) {
            throw new Refused("too_large", "the event body has " + body.length + " bytes; at most " + MAX_BYTES);
        }
        JsonNode node;
        try {
            node = READER.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new Refused("malformed", "the event body is not well-formed JSON" + where);
        } catch (IOException e) {
            throw new Refused("malformed", "the event body is not well-formed JSON");
        }
        if (node == null || !node.isObject()) {
            throw new Refused("malformed", "the event body must be a JSON object of the order's fields, with mid and orderNo");
        }
        return node;
    }

    /** An event that is not an order: {@code kind} is one of a closed set, for the metrics. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        Refused(String kind, String reason) {
            super(reason, null, false, false);
            this.kind = kind;
        }
    }
}
