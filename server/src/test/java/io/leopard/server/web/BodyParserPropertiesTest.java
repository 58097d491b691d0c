package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** MediaType and BodyParser over random headers and bytes: an answer or a ProtocolException, nothing else. */
class BodyParserPropertiesTest {

    @Property(tries = 1500)
    void mediaTypeNeverThrowsAnythingButProtocolException(@ForAll("contentTypes") String contentType) {
        try {
            MediaType type = MediaType.parse(contentType);
            assertThat(type.charset()).isNotNull();
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        }
    }

    @Property(tries = 2000)
    void bodyParserNeverThrowsAnythingButProtocolException(@ForAll("contentTypes") String contentType,
                                                           @ForAll("bodies") byte[] body) {
        MediaType type;
        try {
            type = MediaType.parse(contentType);
        } catch (ProtocolException e) {
            return;
        }
        try {
            Map<String, String> params = BodyParser.parse(body, type);
            assertThat(params.size()).isLessThanOrEqualTo(ParamRules.MAX_PARAMS);
            params.forEach((k, v) -> {
                assertThat(ParamRules.isParamName(k)).as(k).isTrue();
                assertThat(v).isNotNull();
                // every accepted value has a UTF-8 form, so the signature covers exactly what was sent
                assertThat(new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(v);
            });
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PARAM_ERROR);
        }
    }

    @Provide
    Arbitrary<String> contentTypes() {
        List<String> charsets = new ArrayList<>(Charset.availableCharsets().keySet());
        Arbitrary<String> base = Arbitraries.of("application/x-www-form-urlencoded", "application/json", "APPLICATION/JSON",
                " application/json ", "text/plain", "multipart/form-data", "", ";", "application/json;;", "*/*");
        Arbitrary<String> charset = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(charsets)),
                Tuple.of(1, Arbitraries.of("", "\"\"", "\"utf-8\"", "\"", "utf-8\"", "klingon", "UTF-8;x", "x-unknown", "=", "utf 8")),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)));
        Arbitrary<String> param = Arbitraries.frequencyOf(
                Tuple.of(5, charset.map(c -> "charset=" + c)),
                Tuple.of(1, charset.map(c -> " CharSet = " + c)),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(1, Arbitraries.of("boundary=x", "q=1", "=", "charset", "charset==utf-8")));
        return Arbitraries.frequencyOf(
                Tuple.of(8, net.jqwik.api.Combinators.combine(base, param.list().ofMaxSize(3))
                        .as((b, ps) -> b + (ps.isEmpty() ? "" : ";" + String.join(";", ps)))),
                Tuple.of(1, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        Arbitrary<String> jsonToken = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"mid\"", "\"a\"", "\"\"", "\"\\u0000\"",
                "\"\\ud800\"", "\"\\x\"", "1", "-0", "1.50", "1e999", "123456789012345678901234567890123456789012345678901234567890123456789",
                "null", "true", "false", "NaN", " ", "\n", "/*c*/", "\"\u00e9\u4e2d\ud83d\ude00\"", "'a'", "\u0001");
        Arbitrary<byte[]> json = jsonToken.list().ofMaxSize(40).map(l -> String.join("", l).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> flatJson = Arbitraries.maps(
                        Arbitraries.strings().withChars("abcmidorderNosign_[].-\u00e9 ".toCharArray()).ofMinLength(0).ofMaxLength(8),
                        Arbitraries.strings().all().ofMaxLength(10))
                .ofMaxSize(70)
                .map(m -> {
                    StringBuilder sb = new StringBuilder("{");
                    m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":\"")
                            .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
                    return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
                });
        Arbitrary<byte[]> formish = Arbitraries.strings().withChars("ab=&%+0F9\u00e9mid".toCharArray()).ofMaxLength(80)
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.frequencyOf(Tuple.of(3, json), Tuple.of(2, flatJson), Tuple.of(2, formish), Tuple.of(2, random));
    }
}
