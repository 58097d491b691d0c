package io.leopard.protocol;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Shared generators of the property tests: wire-like text, hostile text, every charset of the JVM. */
final class Gen {
    private Gen() {
    }

    static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.[]";
    static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** Every charset this JVM knows, decoders of the exotic ones included. */
    static Arbitrary<Charset> charsets() {
        List<Charset> all = new ArrayList<Charset>(Charset.availableCharsets().values());
        return Arbitraries.of(all);
    }

    /** A valid parameter name: 1-64 of {@code A-Z a-z 0-9 _ - . [ ]}. */
    static Arbitrary<String> names() {
        return Arbitraries.strings().withChars(NAME_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(64);
    }

    /**
     * One Unicode code point, never a lone surrogate: ASCII (with the form's special characters),
     * controls, Latin-1, CJK, and supplementary characters (surrogate pairs).
     */
    static Arbitrary<String> codePoint() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.chars().range(' ', '~').map(String::valueOf)),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("&", "=", "+", "%", "%2", "%zz", " ", "?", "#", ",", "\\", "\"")),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\u0000', '\u001f').map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u0080', '\u07ff').map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.chars().range('\u4e00', '\u9fff').map(String::valueOf)),
                net.jqwik.api.Tuple.of(1, Arbitraries.chars().range('\ue000', '\ufffd').map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x10000, 0x10FFFF)
                        .map(cp -> new String(Character.toChars(cp)))));
    }

    /** Arbitrary well-formed Unicode text (surrogates only in pairs), possibly empty. */
    static Arbitrary<String> unicode(int maxCodePoints) {
        return codePoint().list().ofMaxSize(maxCodePoints).map(Gen::join);
    }

    /** Well-formed Unicode text of at least one code point. */
    static Arbitrary<String> nonEmptyUnicode(int maxCodePoints) {
        return codePoint().list().ofMinSize(1).ofMaxSize(maxCodePoints).map(Gen::join);
    }

    /** Text from the wire alphabet, sometimes just out of it. */
    static Arbitrary<String> wireish(String alphabet, int maxLength) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withChars(alphabet.toCharArray()).ofMinLength(0).ofMaxLength(maxLength)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(
                        Arbitraries.strings().withChars(alphabet.toCharArray()).ofMaxLength(maxLength),
                        codePoint()).as((a, b) -> a + b)),
                net.jqwik.api.Tuple.of(1, unicode(maxLength + 2)));
    }

    private static String join(List<String> parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(p);
        }
        return sb.toString();
    }
}
