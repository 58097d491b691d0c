package io.leopard.server.channel.alipay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import java.security.PublicKey;

/**
 * An Alipay answer whose signature has been verified with Alipay's public key, and its content.
 * Nothing is read from an answer before its signature is checked, with one exception: an answer
 * without {@code sign} is read for its {@code code}, because Alipay does not sign some gateway
 * errors (a wrong app id: it cannot know whose key to sign with). Such an answer only ever ends as
 * {@link Failure#REFUSED}, which changes nothing; an unsigned success is {@link Failure#BAD_SIGNATURE}.
 */
final class AlipayAnswer {
    static final String SUCCESS = "10000";
    private static final ObjectReader READER = new ObjectMapper().readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    /** The most of the channel's own words that go into a message (and so a log line). */
    private static final int MAX_QUOTED = 120;

    private final JsonNode content;

    private AlipayAnswer(JsonNode content) {
        this.content = content;
    }

    /**
     * Verifies and reads {@code answer}.
     *
     * @param element the method's response element, e.g. {@code alipay_trade_query_response}
     * @throws ChannelException {@code MALFORMED}, {@code BAD_SIGNATURE}, or {@code REFUSED} for an unsigned error
     */
    static AlipayAnswer verify(String answer, String element, PublicKey alipayKey) {
        AlipayEnvelope envelope = AlipayEnvelope.read(answer, element);
        if (envelope.sign() == null || envelope.sign().isEmpty()) {
            AlipayAnswer unsigned = new AlipayAnswer(parse(envelope.content()));
            if (unsigned.isSuccess()) {
                throw new ChannelException(Failure.BAD_SIGNATURE, "the alipay answer claims success but is not signed");
            }
            throw new ChannelException(Failure.REFUSED, "alipay refused (unsigned answer): " + unsigned.detail());
        }
        if (!AlipaySign.verify(envelope.content(), envelope.sign(), alipayKey)) {
            throw new ChannelException(Failure.BAD_SIGNATURE,
                    "the alipay answer's signature is not Alipay's (check alipayPublicKey)");
        }
        return new AlipayAnswer(parse(envelope.content()));
    }

    private static JsonNode parse(String content) {
        try {
            return READER.readValue(content);
        } catch (JsonProcessingException e) {
            throw new ChannelException(Failure.MALFORMED, "the alipay answer is not JSON (" + e.getOriginalMessage() + ")");
        }
    }

    String code() {
        return text("code");
    }

    String subCode() {
        return text("sub_code");
    }

    boolean isSuccess() {
        return SUCCESS.equals(code());
    }

    /**
     * The field's text, {@code null} when absent or null. Alipay sends every value as a string;
     * anything else is malformed.
     */
    String text(String field) {
        JsonNode node = content.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ChannelException(Failure.MALFORMED, "alipay " + field + " is not a string");
        }
        return node.textValue();
    }

    /** The field's text. */
    String require(String field) {
        String value = text(field);
        if (value == null || value.isEmpty()) {
            throw new ChannelException(Failure.MALFORMED, "the alipay answer has no " + field);
        }
        return value;
    }

    /** The channel's own words: code, msg, sub_code, sub_msg, for messages and logs. */
    String detail() {
        StringBuilder out = new StringBuilder();
        for (String field : new String[] {"code", "msg", "sub_code", "sub_msg"}) {
            JsonNode node = content.get(field);
            if (node != null && node.isValueNode()) {
                out.append(out.isEmpty() ? "" : " ").append(field).append('=').append(quote(node.asText()));
            }
        }
        return out.toString();
    }

    /**
     * {@code text} fit for a message: control characters (a forged line break in a log) replaced,
     * cut at {@value #MAX_QUOTED} characters.
     */
    static String quote(String text) {
        String shown = text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "..." : text;
        return '"' + shown.replaceAll("\\p{Cntrl}", "?") + '"';
    }
}
