package io.leopard.server.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growing UTF-8 buffer that JSON strings are escaped into exactly as Jackson's generator
 * escapes them: {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as short escapes, other
 * controls below U+0020 as {@code \}{@code u00XX} in uppercase hex, everything else as is. A
 * text with a UTF-16 surrogate is written too, but marks the buffer {@link #needsJackson()}: the
 * caller then leaves it to Jackson, whose rules for those it does not copy.
 *
 * <p>Bytes, not chars: an answer goes out as bytes, and escaping straight into them leaves no
 * builder, string or encoding pass in between (the 10 KB {@code orders} of a batch made that
 * count).
 */
final class JsonBytes {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Per char below 128: 0 as is, -1 {@code \}{@code u00XX}, else the letter of its short escape. */
    private static final byte[] ESCAPES = escapes();

    private byte[] buf;
    private int size;
    private boolean foreign;

    JsonBytes(int capacity) {
        buf = new byte[Math.max(capacity, 16)];
    }

    /** An ASCII char of the JSON's own syntax. */
    JsonBytes raw(char c) {
        ensure(1);
        buf[size++] = (byte) c;
        return this;
    }

    /**
     * {@code text} as is: a number literal, ASCII digits and a point as the server formats them.
     * Anything else there is left to Jackson ({@link #needsJackson()}), whose raw writing it is.
     */
    JsonBytes rawText(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                foreign = true;
                return this;
            }
            buf[size++] = (byte) c;
        }
        return this;
    }

    /** {@code text} quoted and escaped. */
    JsonBytes string(String text) {
        int n = text.length();
        ensure(n + 2);
        buf[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 128) {
                byte escape = ESCAPES[c];
                if (escape == 0) {
                    buf[size++] = (byte) c;
                    continue;
                }
                ensure(6 + n - i);
                buf[size++] = '\\';
                if (escape > 0) {
                    buf[size++] = escape;
                } else {
                    buf[size++] = 'u';
                    buf[size++] = '0';
                    buf[size++] = '0';
                    buf[size++] = HEX[c >> 4];
                    buf[size++] = HEX[c & 0xF];
                }
            } else {
                ensure(3 + n - i);
                if (c < 0x800) {
                    buf[size++] = (byte) (0xC0 | (c >> 6));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                } else {
                    foreign |= Character.isSurrogate(c);
                    buf[size++] = (byte) (0xE0 | (c >> 12));
                    buf[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    buf[size++] = (byte) (0x80 | (c & 0x3F));
                }
            }
        }
        buf[size++] = '"';
        return this;
    }

    /**
     * Whether a text held what this writer does not copy Jackson for (a UTF-16 surrogate, a
     * number that is not ASCII): its bytes here are then not Jackson's.
     */
    boolean needsJackson() {
        return foreign;
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    /** The JSON as text: what the batch's {@code orders} carries. */
    String asText() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    /** Room for {@code more} bytes; grows by half again at least. */
    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(size + more, buf.length + (buf.length >> 1)));
        }
    }

    private static byte[] escapes() {
        byte[] table = new byte[128];
        for (int c = 0; c < 0x20; c++) {
            table[c] = -1;
        }
        table['\b'] = 'b';
        table['\t'] = 't';
        table['\n'] = 'n';
        table['\f'] = 'f';
        table['\r'] = 'r';
        table['"'] = '"';
        table['\\'] = '\\';
        return table;
    }
}
