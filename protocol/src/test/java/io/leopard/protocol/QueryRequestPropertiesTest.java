package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/** QueryRequest.parse over random parameter maps: a ProtocolException or a request that obeys every rule. */
class QueryRequestPropertiesTest {

    @Property(tries = 1500)
    void parseEitherRejectsWithProtocolExceptionOrObeysTheRules(@ForAll Endpoint endpoint,
                                                                 @ForAll("requests") Map<String, String> params,
                                                                 @ForAll @IntRange(min = 1, max = 60) int maxBatch) {
        Map<String, String> copy = new LinkedHashMap<String, String>(params);
        QueryRequest request;
        try {
            request = QueryRequest.parse(endpoint, params, maxBatch);
        } catch (ProtocolException e) {
            Statistics.label("outcome").collect(e.code() + " " + kind(e.getMessage()));
            assertThat(e.code()).isIn(ErrorCode.PARAM_ERROR, ErrorCode.SIGN_TYPE_UNSUPPORTED);
            assertThat(params).isEqualTo(copy);
            return;
        }
        Statistics.label("outcome").collect("accepted " + endpoint);
        assertThat(params).isEqualTo(copy);
        // generic rules
        assertThat(params.size()).isLessThanOrEqualTo(ParamRules.MAX_PARAMS);
        for (Map.Entry<String, String> e : params.entrySet()) {
            assertThat(ParamRules.isParamName(e.getKey())).as(e.getKey()).isTrue();
            assertThat(ParamRules.hasControlChar(e.getValue())).as(e.getKey()).isFalse();
        }
        // required parameters
        assertThat(ParamRules.isMid(request.mid())).isTrue();
        assertThat(request.mid()).isEqualTo(params.get("mid"));
        assertThat(ParamRules.isNoise(params.get("noise"))).isTrue();
        assertThat(request.sign()).isNotEmpty().isEqualTo(params.get("sign"));
        assertThat(request.sign().length()).isLessThanOrEqualTo(ParamRules.MAX_SIGN_LENGTH);
        List<String> orderNos = request.orderNos();
        if (endpoint == Endpoint.EVENTS) {
            // the feed names no order; its cursor and limit obey their rules (EventsRequestTest)
            assertThat(orderNos).isEmpty();
            assertThat(request.limit()).isBetween(1, ParamRules.MAX_EVENTS_LIMIT);
            String after = params.get("after");
            assertThat(request.afterAsSent()).isEqualTo(after == null || after.isEmpty() ? null : after);
        } else {
            assertThat(orderNos).isNotEmpty().doesNotHaveDuplicates();
            for (String o : orderNos) {
                assertThat(ParamRules.isOrderNo(o)).as(o).isTrue();
            }
            if (endpoint == Endpoint.MULTI) {
                assertThat(orderNos.size()).isLessThanOrEqualTo(maxBatch);
                assertThat(new HashSet<String>(orderNos))
                        .isEqualTo(new HashSet<String>(java.util.Arrays.asList(params.get("orderNo").split(",", -1))));
            } else {
                assertThat(orderNos).containsExactly(params.get("orderNo"));
                assertThat(request.orderNo()).isEqualTo(params.get("orderNo"));
            }
        }
        // signType: absent/empty means MD5 and no echo; otherwise one of the four, echoed as sent
        String st = params.get("signType");
        if (st == null || st.isEmpty()) {
            assertThat(request.signType()).isEqualTo(SignType.MD5);
            assertThat(request.signTypeAsSent()).isNull();
        } else {
            assertThat(request.signTypeAsSent()).isEqualTo(st);
            assertThat(st).matches("(?i)MD5|SHA1|SHA256|HMAC-SHA256");
            assertThat(request.signType().wireName()).isEqualToIgnoringCase(st);
        }
        assertThat(request.params()).containsExactlyEntriesOf(params);
    }

    @Provide
    Arbitrary<Map<String, String>> requests() {
        Arbitrary<String> mid = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().withCharRange((char) 48, (char) 57).ofLength(15)),
                Tuple.of(1, Gen.wireish("0123456789", 17)),
                Tuple.of(1, Arbitraries.of("１００００００００００００００００", "10000051098345６", "")));
        Arbitrary<String> orderNo = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().withChars((Gen.ALNUM + "_-|*").toCharArray()).ofMinLength(1).ofMaxLength(32)),
                Tuple.of(3, Gen.wireish(Gen.ALNUM + "_-|*", 33)),
                Tuple.of(4, Arbitraries.frequencyOf(Tuple.of(30, Arbitraries.strings().withChars((Gen.ALNUM + "_-|*").toCharArray())
                        .ofMinLength(1).ofMaxLength(4)), Tuple.of(1, Gen.wireish(Gen.ALNUM + "_-|*", 8))).list().ofMinSize(1).ofMaxSize(70)
                        .map(l -> String.join(",", l))));
        Arbitrary<String> noise = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withChars((Gen.ALNUM + "_-").toCharArray()).ofMinLength(1).ofMaxLength(32)),
                Tuple.of(1, Gen.wireish(Gen.ALNUM + "_-", 33)));
        Arbitrary<String> sign = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().withChars("0123456789ABCDEFabcdef".toCharArray()).ofMinLength(0).ofMaxLength(130)),
                Tuple.of(1, Gen.unicode(140)));
        Arbitrary<String> signType = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("MD5", "md5", "Sha1", "SHA256", "HMAC-SHA256", "hmac-sha256", "", "RSA", "HMAC_SHA256",
                        "\u017fha1", "\u017fHA256", "HMAC-\u017fHA256", "MD5 ", "SHA-256")),
                Tuple.of(1, Gen.unicode(12)));
        Arbitrary<Map<String, String>> extra = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.maps(Gen.names(), Arbitraries.strings().withChars((Gen.ALNUM + "&=%+ \u00e9\u4e2d").toCharArray()).ofMaxLength(10)).ofMaxSize(4)),
                Tuple.of(2, Arbitraries.maps(Gen.names(), Gen.wireish(Gen.ALNUM + "&=%+ ", 10)).ofMaxSize(4)),
                Tuple.of(1, Arbitraries.maps(Gen.names(), Arbitraries.strings().alpha().ofMaxLength(3)).ofMinSize(55).ofMaxSize(70)),
                Tuple.of(1, Arbitraries.maps(Gen.unicode(4), Gen.unicode(10)).ofMaxSize(4)));
        return Combinators.combine(
                        optional(mid), optional(orderNo), optional(noise), optional(sign), optional(signType), extra)
                .as((m, o, n, s, t, x) -> {
                    Map<String, String> p = new LinkedHashMap<String, String>();
                    if (x.size() > 3) {
                        p.putAll(x);
                    }
                    put(p, "mid", m);
                    put(p, "orderNo", o);
                    put(p, "noise", n);
                    put(p, "sign", s);
                    put(p, "signType", t);
                    if (x.size() <= 3) {
                        p.putAll(x);
                    }
                    return p;
                });
    }

    /** The parameter a message is about, for the statistics that show what the generators reach. */
    private static String kind(String message) {
        for (String p : new String[] {"parameter name", "control", "more than", "mid", "orderNo", "noise", "sign"}) {
            if (message.contains(p)) {
                return p;
            }
        }
        return "";
    }

    private static Arbitrary<String> optional(Arbitrary<String> a) {
        return a.injectNull(0.04);
    }

    private static void put(Map<String, String> p, String name, String value) {
        if (value != null) {
            p.put(name, value);
        }
    }
}
