package io.leopard.server.query;

import io.leopard.protocol.Fields;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes flat field maps as JSON: amounts as number literals exactly as formatted (so
 * {@code 5230.00} stays {@code 5230.00}), everything else as strings, compact, in the map's order.
 *
 * <p>Written by hand into one presized {@link StringBuilder}, byte for byte what Jackson's
 * generator wrote before ({@link JacksonJson}, which the tests compare against for every answer
 * shape and every UTF-16 unit): {@code "} and {@code \} escaped, {@code \b \t \n \f \r} as short
 * escapes, other controls below U+0020 as {@code \}{@code u00XX} in uppercase hex, everything
 * else as is, UTF-8. A generator per answer, its buffers and the copy out of a
 * {@code ByteArrayOutputStream} were the cost here; the escaping is a table look-up per char.
 */
public final class JsonWriter {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Per char below 128: 0 as is, -1 {@code \}{@code u00XX}, else the letter of its short escape. */
    private static final int[] ESCAPES = escapes();

    private JsonWriter() {
    }

    /** One flat object as UTF-8 bytes: a whole answer. */
    public static byte[] object(Map<String, String> fields) {
        StringBuilder out = new StringBuilder(sizeOf(fields) * 5 / 4 + 64);
        if (!appendObject(out, fields)) {
            // a surrogate: Jackson's UTF-8 generator pairs or refuses it; keep exactly its behaviour
            return JacksonJson.object(fields);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A compact array of flat objects as a string: the value of a batch answer's {@code orders}. */
    static String array(List<Map<String, String>> elements) {
        StringBuilder out = new StringBuilder(elements.size() * 220 + 2);
        out.append('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            // into a string, Jackson copies surrogates through as chars: so does this
            appendObject(out, elements.get(i));
        }
        return out.append(']').toString();
    }

    /** Appends {@code fields} as an object; {@code false} when a text held a UTF-16 surrogate. */
    private static boolean appendObject(StringBuilder out, Map<String, String> fields) {
        boolean plain = true;
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            plain &= appendString(out, e.getKey());
            out.append(':');
            if (Fields.isNumeric(e.getKey())) {
                out.append(e.getValue());
            } else {
                plain &= appendString(out, e.getValue());
            }
        }
        out.append('}');
        return plain;
    }

    /** Appends {@code text} quoted and escaped; {@code false} when it held a UTF-16 surrogate. */
    private static boolean appendString(StringBuilder out, String text) {
        boolean plain = true;
        out.append('"');
        int run = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            int escape = c < 128 ? ESCAPES[c] : 0;
            if (escape == 0) {
                plain &= !Character.isSurrogate(c);
                continue;
            }
            out.append(text, run, i);
            run = i + 1;
            out.append('\\');
            if (escape > 0) {
                out.append((char) escape);
            } else {
                out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(text, run, n).append('"');
        return plain;
    }

    /** The chars of names and values plus quotes and separators, before escapes (a quarter more is room for {@code orders}' quotes). */
    private static int sizeOf(Map<String, String> fields) {
        int size = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            size += e.getKey().length() + e.getValue().length() + 6;
        }
        return size;
    }

    private static int[] escapes() {
        int[] table = new int[128];
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
