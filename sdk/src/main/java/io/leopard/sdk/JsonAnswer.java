package io.leopard.sdk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.leopard.protocol.ParamRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads answers with jackson-core's streaming parser into what the signature covers: every field
 * as a string, a JSON string as its decoded value, a number as its <em>literal</em> text
 * ({@code 5230.00} stays {@code 5230.00}; no double or BigDecimal round trip). Anything else at
 * the top level (object, array, boolean, null), a repeated name, or content after the object is
 * refused: the SDK only acts on what it can verify exactly.
 */
final class JsonAnswer {
    private final JsonFactory factory = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** The answer was not a flat JSON object (or array of flat objects); the message says why. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The fields of a flat JSON object, in answer order. */
    Map<String, String> flatObject(byte[] body) throws MalformedException {
        try (JsonParser p = factory.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedException("the answer is not a JSON object");
            }
            Map<String, String> fields = readObjectBody(p);
            if (p.nextToken() != null) {
                throw new MalformedException("the answer has content after its JSON object");
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new MalformedException("the answer is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedException("the answer could not be read: " + e.getMessage());
        }
    }

    /** A JSON array of flat objects, such as the text of a batch answer's {@code orders}. */
    List<Map<String, String>> arrayOfFlatObjects(String text) throws MalformedException {
        return arrayOfFlatObjects(text, "orders");
    }

    /** A JSON array of flat objects, the text of the answer's field {@code name} ({@code orders}, {@code events}). */
    List<Map<String, String>> arrayOfFlatObjects(String text, String name) throws MalformedException {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedException(name + " is not a JSON array");
            }
            List<Map<String, String>> items = new ArrayList<Map<String, String>>();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.START_OBJECT) {
                    throw new MalformedException("an element of " + name + " is not a JSON object");
                }
                items.add(readObjectBody(p));
            }
            if (p.nextToken() != null) {
                throw new MalformedException(name + " has content after its JSON array");
            }
            return items;
        } catch (JsonProcessingException e) {
            throw new MalformedException(name + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedException(name + " could not be read: " + e.getMessage());
        }
    }

    private static Map<String, String> readObjectBody(JsonParser p) throws IOException, MalformedException {
        Map<String, String> fields = new LinkedHashMap<String, String>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT
                    || value == JsonToken.VALUE_NUMBER_FLOAT) {
                fields.put(name, p.getText());
            } else {
                throw new MalformedException("field \"" + ParamRules.printable(name) + "\" is not a string or a number");
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new MalformedException("unexpected JSON token " + t);
        }
        return Collections.unmodifiableMap(fields);
    }
}
