package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** FormCodec against hostile bytes and arbitrary Unicode. */
class FormCodecPropertiesTest {

    /** Random bytes in any charset: a map or a ProtocolException, never anything else. */
    @Property(tries = 1500)
    void decodeNeverThrowsAnythingButProtocolException(@ForAll("formBytes") byte[] body, @ForAll("charsets") Charset charset) {
        try {
            Map<String, String> params = FormCodec.decode(body, charset);
            assertThat(params.size()).isLessThanOrEqualTo(ParamRules.MAX_PARAMS);
            for (String name : params.keySet()) {
                assertThat(ParamRules.isParamName(name)).as(name).isTrue();
            }
        } catch (ProtocolException e) {
            assertThat(e.code()).isEqualTo(ErrorCode.PARAM_ERROR);
            assertThat(e.getMessage()).startsWith(ErrorCode.PARAM_ERROR.message());
        }
    }

    /** Encoding then decoding gives back exactly the map, in order, whatever the values hold. */
    @Property(tries = 1000)
    void encodeDecodeRoundTrips(@ForAll("params") Map<String, String> params) throws Exception {
        String body = FormCodec.encode(params);
        assertThat(body).matches("[A-Za-z0-9_.\\-\\[\\]%+=&*]*");
        Map<String, String> back = FormCodec.decode(body.getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8);
        assertThat(back).containsExactlyEntriesOf(params);
    }

    @Provide
    Arbitrary<Charset> charsets() {
        return Gen.charsets();
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        return Arbitraries.maps(Gen.names(), Gen.unicode(24)).ofMaxSize(ParamRules.MAX_PARAMS)
                .map(m -> (Map<String, String>) new LinkedHashMap<String, String>(m));
    }

    /** Bytes that look like a form often enough to reach the decoder of every component. */
    @Provide
    Arbitrary<byte[]> formBytes() {
        Arbitrary<byte[]> token = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().withChars(Gen.NAME_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(6)
                        .map(s -> s.getBytes(StandardCharsets.US_ASCII))),
                Tuple.of(4, Arbitraries.of("&", "=", "+", "%", "%4", "%41", "%e4%b8%ad", "%ff", "%C0%80", "%ED%A0%80", "&&", "==")
                        .map(s -> s.getBytes(StandardCharsets.US_ASCII))),
                Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(4)));
        Arbitrary<byte[]> structured = token.list().ofMaxSize(60).map(FormCodecPropertiesTest::concat);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return Arbitraries.frequencyOf(Tuple.of(3, structured), Tuple.of(1, random));
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
