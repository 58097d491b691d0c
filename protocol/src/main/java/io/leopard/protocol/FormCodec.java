package io.leopard.protocol;

import java.io.ByteArrayOutputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code application/x-www-form-urlencoded} bodies. Decoding is strict where the JDK's
 * {@code URLDecoder} is lenient: a broken escape, bytes that are not valid in the charset, or a
 * name given twice are errors, never silently replaced characters.
 */
public final class FormCodec {

    private FormCodec() {
    }

    /**
     * Decodes a form body into its parameters, in body order. An item without {@code =} has an
     * empty value; empty items ({@code a=1&&b=2}) are skipped.
     */
    public static Map<String, String> decode(byte[] body, Charset charset) throws ProtocolException {
        Map<String, String> params = new LinkedHashMap<String, String>();
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            if (end < 0) {
                end = body.length;
            }
            if (end > start) {
                int eq = indexOf(body, (byte) '=', start);
                String name;
                String value;
                if (eq < 0 || eq >= end) {
                    name = component(body, start, end, charset);
                    value = "";
                } else {
                    name = component(body, start, eq, charset);
                    value = component(body, eq + 1, end, charset);
                }
                ParamRules.checkName(name);
                if (params.put(name, value) != null) {
                    throw ProtocolException.param(name, "is repeated");
                }
                if (params.size() > ParamRules.MAX_PARAMS) {
                    throw new ProtocolException(ErrorCode.PARAM_ERROR,
                            ErrorCode.PARAM_ERROR.message() + ": more than " + ParamRules.MAX_PARAMS + " parameters");
                }
            }
            start = end + 1;
        }
        return params;
    }

    /** Encodes parameters as a UTF-8 form body, in map order. */
    public static String encode(Map<String, String> params) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Map.Entry<String, String> e : params.entrySet()) {
                if (sb.length() > 0) {
                    sb.append('&');
                }
                sb.append(URLEncoder.encode(e.getKey(), "UTF-8")).append('=')
                        .append(URLEncoder.encode(e.getValue(), "UTF-8"));
            }
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
        return sb.toString();
    }

    private static String component(byte[] body, int from, int to, Charset charset) throws ProtocolException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                int hi = i + 1 < to ? hexValue(body[i + 1]) : -1;
                int lo = i + 2 < to ? hexValue(body[i + 2]) : -1;
                if (hi < 0 || lo < 0) {
                    throw new ProtocolException(ErrorCode.PARAM_ERROR,
                            ErrorCode.PARAM_ERROR.message() + ": the form body has a broken %-escape");
                }
                out.write((hi << 4) | lo);
                i += 2;
            } else {
                out.write(b);
            }
        }
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(out.toByteArray()));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException(ErrorCode.PARAM_ERROR,
                    ErrorCode.PARAM_ERROR.message() + ": the form body is not valid " + charset.name());
        }
    }

    private static int indexOf(byte[] body, byte b, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int hexValue(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
