package io.leopard.server.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.leopard.protocol.Fields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Writes flat field maps as JSON with Jackson's streaming generator: amounts as number literals
 * exactly as formatted (so {@code 5230.00} stays {@code 5230.00}), everything else as strings.
 * One factory for the process; generators are cheap.
 */
public final class JsonWriter {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonWriter() {
    }

    /** One flat object as UTF-8 bytes: a whole answer. */
    public static byte[] object(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeObject(gen, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A compact array of flat objects as a string: the value of a batch answer's {@code orders}. */
    static String array(List<Map<String, String>> elements) {
        StringWriter out = new StringWriter(elements.size() * 220 + 2);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            gen.writeStartArray();
            for (Map<String, String> element : elements) {
                writeObject(gen, element);
            }
            gen.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeObject(JsonGenerator gen, Map<String, String> fields) throws IOException {
        gen.writeStartObject();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            gen.writeFieldName(e.getKey());
            if (Fields.isNumeric(e.getKey())) {
                gen.writeNumber(e.getValue());
            } else {
                gen.writeString(e.getValue());
            }
        }
        gen.writeEndObject();
    }
}
