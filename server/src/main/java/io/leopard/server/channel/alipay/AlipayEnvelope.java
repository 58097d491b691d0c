package io.leopard.server.channel.alipay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.leopard.server.channel.ChannelException;
import java.io.IOException;

/**
 * The parts of an Alipay answer, {@code {"<method>_response":{...},"sign":"..."}}, as sent: Alipay
 * signs the exact text of the response object (from its {@code {} to its matching {@code }}), so
 * the text is cut out of the answer, not re-serialized, which would change spaces, escapes and
 * order. Jackson's parser finds the object's bounds, so braces and quotes inside strings cannot
 * mislead it; every other value is skipped unread.
 *
 * <p>Gateway errors come as {@code error_response} instead of the method's element; that is read
 * the same way. An answer with a key twice, text after the object, or neither element is malformed:
 * there must be one reading of what was signed.
 *
 * @param element the name of the element found (the method's or {@code error_response})
 * @param content the raw text of its object
 * @param sign    the {@code sign} value, {@code null} when there is none
 */
record AlipayEnvelope(String element, String content, String sign) {
    static final String ERROR_ELEMENT = "error_response";
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static AlipayEnvelope read(String answer, String element) {
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw malformed("is not a JSON object");
            }
            String found = null;
            String content = null;
            String sign = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(element) || name.equals(ERROR_ELEMENT)) {
                    if (value != JsonToken.START_OBJECT) {
                        throw malformed("has a " + name + " that is not an object");
                    }
                    if (found != null) {
                        throw malformed("has both " + found + " and " + name);
                    }
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    int end = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    found = name;
                    content = answer.substring(start, end);
                } else if (name.equals("sign")) {
                    if (value != JsonToken.VALUE_STRING) {
                        throw malformed("has a sign that is not a string");
                    }
                    sign = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw malformed("has text after its object");
            }
            if (found == null) {
                throw malformed("has no " + element);
            }
            return new AlipayEnvelope(found, content, sign);
        } catch (JsonProcessingException e) {
            throw malformed("is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw malformed("cannot be read: " + e.getMessage());
        }
    }

    private static ChannelException malformed(String what) {
        return new ChannelException(ChannelException.Failure.MALFORMED, "the alipay answer " + what);
    }
}
