package io.leopard.server.channel.alipay;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A key as pasted: one PEM block ({@code -----BEGIN label-----}, base64, {@code -----END label-----})
 * or bare base64 (label ""), as Alipay's key tool prints it. Line breaks and spaces inside the
 * base64 are ignored: pasted keys come wrapped at any width.
 */
record Pem(String label, byte[] der) {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9+/=\\s]+");

    /** @throws IllegalArgumentException when the text is neither form (the message quotes none of it) */
    static Pem read(String text) {
        String trimmed = text.strip();
        Matcher block = BLOCK.matcher(trimmed);
        if (block.matches()) {
            return new Pem(block.group(1), base64(block.group(2)));
        }
        if (trimmed.startsWith("-----BEGIN")) {
            throw new IllegalArgumentException("is not one well-formed PEM block (BEGIN and END lines, base64 between)");
        }
        if (!BARE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("is neither PEM nor base64");
        }
        return new Pem("", base64(trimmed));
    }

    private static byte[] base64(String text) {
        String compact = text.replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not valid base64");
        }
        if (der.length == 0) {
            throw new IllegalArgumentException("is empty");
        }
        return der;
    }
}
