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
 * The reference writing of flat field maps, with Jackson's streaming generator: amounts as number
 * literals exactly as formatted, everything else as strings. {@link JsonWriter} writes the same
 * bytes by hand and comes here only for text it does not write itself (a UTF-16 surrogate, on
 * which Jackson's UTF-8 generator has its own rules); the tests hold the two to the same output.
 */
final class JacksonJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JacksonJson() {
    }

    /** One flat object as UTF-8 bytes. */
    static byte[] object(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            writeObject(gen, fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A compact array of flat objects as a string. */
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
