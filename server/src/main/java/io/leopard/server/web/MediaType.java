package io.leopard.server.web;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The two body types the protocol accepts, read from a raw {@code Content-Type} header. A request
 * without one is a form (PROTOCOL.md section 1); a form without a charset is UTF-8; a charset the
 * JVM does not know is {@code MEDIA_TYPE_UNSUPPORTED}.
 */
record MediaType(Kind kind, Charset charset) {

    enum Kind { FORM, JSON }

    private static final MediaType DEFAULT_FORM = new MediaType(Kind.FORM, StandardCharsets.UTF_8);

    static MediaType parse(String contentType) throws ProtocolException {
        if (contentType == null || contentType.isBlank()) {
            return DEFAULT_FORM;
        }
        String[] parts = contentType.split(";", -1); // -1: ";" alone is one empty type, not an empty array
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        Kind kind = switch (type) {
            case "application/x-www-form-urlencoded" -> Kind.FORM;
            case "application/json" -> Kind.JSON;
            default -> throw new ProtocolException(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        };
        Charset charset = StandardCharsets.UTF_8;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].trim();
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                charset = charset(param.substring(eq + 1).trim());
            }
        }
        return kind == Kind.FORM && charset.equals(StandardCharsets.UTF_8) ? DEFAULT_FORM : new MediaType(kind, charset);
    }

    private static Charset charset(String name) throws ProtocolException {
        String unquoted = name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")
                ? name.substring(1, name.length() - 1) : name;
        try {
            return Charset.forName(unquoted);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ProtocolException(ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED.message() + ": unknown charset");
        }
    }
}
