package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The names picked out in the precomputed order of the protocol's names are exactly those the
 * generic sort gives, whatever the map holds: only known names (the fast way), unknown ones too,
 * empty values, {@code null} values, {@code sign}.
 */
class SignOrderPropertiesTest {
    private static final List<String> KNOWN = Arrays.asList(Fields.MID, Fields.ORDER_NO, Fields.NOISE,
            Fields.SIGN_TYPE, Fields.SIGN, Fields.TIMESTAMP, Fields.CODE, Fields.MSG, Fields.ERR_CODE,
            Fields.RESULT_CODE, Fields.ERR_CODE_DES, Fields.FLOW_NO, Fields.TRADE_NO, Fields.AMOUNT, Fields.TYPE,
            Fields.STATUS, Fields.ORDER_TIME, Fields.PAY_TIME, Fields.CONFIRM_TIME, Fields.REQ_NOISE, Fields.ORDERS,
            Fields.PAY_STATUS, Fields.ORDER_AMOUNT, Fields.SUCC_AMOUNT, Fields.AFTER, Fields.LIMIT, Fields.EVENTS,
            Fields.NEXT, Fields.HAS_MORE, Fields.EVENT_ID, Fields.NOTIFY_TIME, Fields.CHANGE_TIME);

    @Property(tries = 2000)
    void theSignedFieldsAreThoseOfTheGenericSortInItsOrder(@ForAll("fields") Map<String, String> fields) {
        check(fields);
        check(new java.util.HashMap<String, String>(fields));
    }

    private static void check(Map<String, String> fields) {
        SignOrder.Signed signed = SignOrder.of(fields);
        List<String> names = new ArrayList<String>();
        List<String> values = new ArrayList<String>();
        for (int i = 0; i < signed.count; i++) {
            names.add(signed.names[i]);
            values.add(signed.values[i]);
        }
        List<String> expected = SignOrder.names(fields, false, false);
        assertThat(names).isEqualTo(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(values.get(i)).isEqualTo(fields.get(expected.get(i)));
        }
    }

    @Property(tries = 200)
    void aMapThatFindsKeysItsOwnWayIsSignedWithTheNamesItHolds(@ForAll("fields") Map<String, String> fields) {
        Map<String, String> folded = new java.util.TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> e : fields.entrySet()) {
            folded.put(e.getKey().toUpperCase(java.util.Locale.ROOT), e.getValue());
        }
        folded.put(Fields.CODE, "x");
        check(folded);
        Map<String, String> twice = new java.util.IdentityHashMap<String, String>(fields);
        twice.put(new String(Fields.MID), "a");
        twice.put(new String(Fields.MID), "b");
        assertThat(Signer.stringA(twice)).isEqualTo(Signer.joined(twice, false, false));
        check(twice);
    }

    @Provide
    Arbitrary<Map<String, String>> fields() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(KNOWN)),
                net.jqwik.api.Tuple.of(1, Gen.names()));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Gen.nonEmptyUnicode(8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)));
        return Arbitraries.maps(name, value).ofMaxSize(20).map(m -> new LinkedHashMap<String, String>(m));
    }
}
