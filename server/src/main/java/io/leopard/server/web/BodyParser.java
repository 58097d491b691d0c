package io.leopard.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a request body into its flat parameters. A JSON body must be one flat object: strings as
 * they are, numbers by their literal text, {@code null} as absent; objects, arrays, booleans and
 * repeated keys are {@code PARAM_ERROR}s (PROTOCOL.md section 1).
 */
final class BodyParser {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(2).maxNumberLength(64).build())
            .build();

    private BodyParser() {
    }

    static Map<String, String> parse(byte[] body, MediaType type) throws ProtocolException {
        return type.kind() == MediaType.Kind.FORM ? FormCodec.decode(body, type.charset()) : json(body, type);
    }

    private static Map<String, String> json(byte[] body, MediaType type) throws ProtocolException {
        String text = decodeStrictly(body, type);
        Map<String, String> params = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw notAnObject();
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                ParamRules.checkName(name);
                JsonToken value = parser.nextToken();
                switch (value) {
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> params.put(name, wellFormed(name, parser.getText()));
                    case VALUE_NULL -> { }
                    default -> throw ProtocolException.param(name, "must be a string or a number");
                }
                if (params.size() > ParamRules.MAX_PARAMS) {
                    throw new ProtocolException(ErrorCode.PARAM_ERROR,
                            ErrorCode.PARAM_ERROR.message() + ": more than " + ParamRules.MAX_PARAMS + " parameters");
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                throw notAnObject();
            }
        } catch (JsonParseException e) {
            String msg = e.getOriginalMessage();
            if (msg != null && msg.startsWith("Duplicate field")) {
                throw new ProtocolException(ErrorCode.PARAM_ERROR, ErrorCode.PARAM_ERROR.message() + ": a parameter is repeated");
            }
            throw notAnObject();
        } catch (IOException e) {
            // StreamConstraintsException and friends: nesting or numbers beyond what a flat object holds
            throw notAnObject();
        }
        return params;
    }

    /**
     * A {@code \\uD800} escape can put a lone surrogate in a string. It has no UTF-8 form, so the
     * signature would hash {@code ?} in its place and a sign made for {@code "?"} would pass too:
     * like bytes that are not valid in the charset, it is a {@code PARAM_ERROR}.
     */
    private static String wellFormed(String name, String value) throws ProtocolException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw ProtocolException.param(name, "is not valid Unicode (a lone surrogate)");
            }
        }
        return value;
    }

    private static String decodeStrictly(byte[] body, MediaType type) throws ProtocolException {
        try {
            return type.charset().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.PARAM_ERROR,
                    ErrorCode.PARAM_ERROR.message() + ": the body is not valid " + type.charset().name());
        }
    }

    private static ProtocolException notAnObject() {
        return new ProtocolException(ErrorCode.PARAM_ERROR,
                ErrorCode.PARAM_ERROR.message() + ": the body must be one flat JSON object");
    }
}
