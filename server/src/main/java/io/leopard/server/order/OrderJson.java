package io.leopard.server.order;

import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.protocol.ParamRules;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reading of an order written as a flat JSON object, shared by import files (JSON Lines),
 * the internal API and order events: the fields of {@link ImportSource#COLUMNS}, values strings; a
 * number is taken as its literal text ({@code 5230.00} stays {@code 5230.00}); {@code null} is an
 * absent value. Unknown fields, nested values and booleans are errors.
 */
public final class OrderJson {
    /**
     * The one strict JSON reader of order bodies (import lines, the internal API, events): a
     * repeated name or anything after the value is an error, and a number keeps its literal text
     * ({@code 50.00} stays {@code 50.00}: no double in between, no zeros stripped).
     */
    public static final com.fasterxml.jackson.databind.ObjectReader STRICT_READER = new com.fasterxml.jackson.databind.ObjectMapper()
            .readerFor(JsonNode.class)
            .without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);

    /** A live write's own notify URL for the order (PROTOCOL.md 9); not an import column. */
    public static final String NOTIFY_URL = "notifyUrl";

    /** The fields an order write may hold: the import's columns, and {@link #NOTIFY_URL}. */
    public static final List<String> FIELDS = java.util.stream.Stream.concat(ImportSource.COLUMNS.stream(),
            java.util.stream.Stream.of(NOTIFY_URL)).toList();

    private OrderJson() {
    }

    /**
     * The field values of {@code node} by name.
     *
     * @throws InvalidFieldException naming the field at fault
     */
    public static Map<String, String> fields(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InvalidFieldException(null, "an order must be a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!FIELDS.contains(name)) {
                throw new InvalidFieldException(ParamRules.printable(name), "unknown field \"" + ParamRules.printable(name)
                        + "\"; the fields are " + String.join(",", FIELDS));
            }
            if (value.isTextual()) {
                fields.put(name, value.textValue());
            } else if (value.isBigDecimal() || value.isFloatingPointNumber()) {
                fields.put(name, value.decimalValue().toPlainString());
            } else if (value.isIntegralNumber()) {
                fields.put(name, value.bigIntegerValue().toString());
            } else if (!value.isNull()) {
                throw new InvalidFieldException(name, "field " + name + " must be a string");
            }
        }
        return fields;
    }

    /** A field that is missing, malformed or not a field of an order. */
    public static final class InvalidFieldException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String field;

        public InvalidFieldException(String field, String message) {
            super(message);
            this.field = field;
        }

        /** The field at fault, or {@code null} when the whole value is. */
        public String field() {
            return field;
        }
    }
}
