package io.leopard.server.query;

import io.leopard.protocol.Fields;
import java.util.List;
import java.util.Map;

/**
 * Writes flat field maps as JSON: amounts as number literals exactly as formatted (so
 * {@code 5230.00} stays {@code 5230.00}), everything else as strings, compact, in the map's order.
 *
 * <p>Written by hand ({@link JsonBytes}), byte for byte what Jackson's generator wrote before
 * ({@link JacksonJson}, which the tests compare against for every answer shape and every UTF-16
 * unit); a text with a surrogate is left to Jackson. A generator per answer, its buffers and the
 * copy out of a {@code ByteArrayOutputStream} were the cost here.
 */
public final class JsonWriter {

    private JsonWriter() {
    }

    /** One flat object as UTF-8 bytes: a whole answer. */
    public static byte[] object(Map<String, String> fields) {
        JsonBytes out = new JsonBytes(sizeOf(fields));
        appendObject(out, fields);
        return out.needsJackson() ? JacksonJson.object(fields) : out.toBytes();
    }

    /**
     * A compact array of flat objects as a string: the value of a batch answer's {@code orders}.
     * Public for the bench's {@code AnswerBench}, which builds T2's answer as the server does.
     */
    public static String array(List<Map<String, String>> elements) {
        JsonBytes out = new JsonBytes(elements.size() * 220 + 2);
        out.raw('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.raw(',');
            }
            appendObject(out, elements.get(i));
        }
        out.raw(']');
        return out.needsJackson() ? JacksonJson.array(elements) : out.asText();
    }

    private static void appendObject(JsonBytes out, Map<String, String> fields) {
        out.raw('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                out.raw(',');
            }
            first = false;
            out.string(e.getKey()).raw(':');
            if (Fields.isNumeric(e.getKey())) {
                out.rawText(e.getValue());
            } else {
                out.string(e.getValue());
            }
        }
        out.raw('}');
    }

    /**
     * The chars of names and values plus quotes and separators, and a quarter more for escapes
     * (the quotes inside {@code orders}).
     */
    private static int sizeOf(Map<String, String> fields) {
        int size = 2;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            size += e.getKey().length() + e.getValue().length() + 6;
        }
        return size + size / 4;
    }
}
