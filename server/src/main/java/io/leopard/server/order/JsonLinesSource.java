package io.leopard.server.order;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.leopard.protocol.ParamRules;
import java.util.HashMap;
import java.util.Map;

/**
 * JSON Lines rows: one flat JSON object per line with the fields of {@link ImportSource#COLUMNS}.
 * Values are strings; a number is taken as its literal text ({@code 5230.00} stays {@code 5230.00});
 * {@code null} or an absent key is an empty value. Unknown or repeated keys, nested values and
 * booleans are errors.
 */
final class JsonLinesSource implements ImportSource {

    private final TextInput in;

    JsonLinesSource(TextInput in) {
        this.in = in;
    }

    @Override
    public ImportRecord next() {
        while (true) {
            long line = in.line();
            String text = in.readLine();
            if (text == null) {
                return null;
            }
            if (text.isBlank()) {
                continue;
            }
            return new ImportRecord(line, parse(line, text));
        }
    }

    private static Map<String, String> parse(long line, String text) {
        JsonNode node;
        try {
            node = OrderJson.STRICT_READER.readTree(text);
        } catch (JacksonException e) {
            throw ImportException.at(line, "not a JSON object: " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw ImportException.at(line, "not a JSON object");
        }
        Map<String, String> fields = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String name = e.getKey();
            JsonNode value = e.getValue();
            if (!COLUMNS.contains(name)) {
                throw ImportException.at(line, "unknown field \"" + ParamRules.printable(name)
                        + "\"; the fields are " + String.join(",", COLUMNS));
            }
            if (value.isTextual()) {
                fields.put(name, value.textValue());
            } else if (value.isBigDecimal()) {
                fields.put(name, value.decimalValue().toPlainString());
            } else if (value.isIntegralNumber()) {
                fields.put(name, value.bigIntegerValue().toString());
            } else if (!value.isNull()) {
                throw ImportException.at(line, "field " + name + " must be a string");
            }
        }
        return fields;
    }

    private static String firstLine(String message) {
        String m = message == null ? "" : message;
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() > 120 ? m.substring(0, 120) + "..." : m;
    }
}
