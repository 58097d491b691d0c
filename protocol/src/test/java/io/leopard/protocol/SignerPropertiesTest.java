package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Signer over random Unicode parameters and keys, for every sign type. */
class SignerPropertiesTest {

    @Property(tries = 1000)
    void signThenVerifyRoundTrips(@ForAll SignType type, @ForAll("params") Map<String, String> params,
                                  @ForAll("keys") String key) {
        String sign = Signer.sign(params, key, type);
        assertThat(sign).hasSize(type.hexLength()).matches("[0-9A-F]+");
        assertThat(Signer.verify(params, key, type, sign)).isTrue();
        assertThat(Signer.verify(params, key, type, sign.toLowerCase(Locale.ROOT))).isTrue();
        // the sign field itself is never signed
        Map<String, String> withSign = new LinkedHashMap<String, String>(params);
        withSign.put(Signer.SIGN_FIELD, sign);
        assertThat(Signer.verify(withSign, key, type, sign)).isTrue();
    }

    @Property(tries = 1000)
    void changingAnyValueBreaksTheSignature(@ForAll SignType type, @ForAll("nonEmptyParams") Map<String, String> params,
                                            @ForAll("keys") String key, @ForAll("nonEmptyValues") String newValue,
                                            @ForAll long pick) {
        List<String> names = new ArrayList<String>(params.keySet());
        String name = names.get((int) Math.floorMod(pick, (long) names.size()));
        Assume.that(!newValue.equals(params.get(name)) && !Signer.SIGN_FIELD.equals(name));
        String sign = Signer.sign(params, key, type);
        Map<String, String> changed = new LinkedHashMap<String, String>(params);
        changed.put(name, newValue);
        assertThat(Signer.verify(changed, key, type, sign)).as("changed %s", name).isFalse();
    }

    @Property(tries = 1000)
    void addingOrRemovingAFieldBreaksTheSignature(@ForAll SignType type, @ForAll("nonEmptyParams") Map<String, String> params,
                                                  @ForAll("keys") String key, @ForAll("names") String extraName,
                                                  @ForAll("nonEmptyValues") String extraValue, @ForAll long pick) {
        String sign = Signer.sign(params, key, type);
        if (!params.containsKey(extraName) && !Signer.SIGN_FIELD.equals(extraName)) {
            Map<String, String> added = new LinkedHashMap<String, String>(params);
            added.put(extraName, extraValue);
            assertThat(Signer.verify(added, key, type, sign)).as("added %s", extraName).isFalse();
        }
        List<String> names = new ArrayList<String>(params.keySet());
        String name = names.get((int) Math.floorMod(pick, (long) names.size()));
        if (!Signer.SIGN_FIELD.equals(name)) {
            Map<String, String> removed = new LinkedHashMap<String, String>(params);
            removed.remove(name);
            assertThat(Signer.verify(removed, key, type, sign)).as("removed %s", name).isFalse();
        }
    }

    @Property(tries = 500)
    void anotherKeyOrAnotherTypeDoesNotVerify(@ForAll SignType type, @ForAll SignType other,
                                              @ForAll("params") Map<String, String> params,
                                              @ForAll("keys") String key, @ForAll("keys") String otherKey) {
        String sign = Signer.sign(params, key, type);
        if (!otherKey.equals(key)) {
            assertThat(Signer.verify(params, otherKey, type, sign)).isFalse();
        }
        if (other != type) {
            assertThat(Signer.verify(params, key, other, sign)).isFalse();
        }
    }

    /** Any sign string at all, of any length and characters: true or false, never an exception. */
    @Property(tries = 2000)
    void verifyNeverThrowsOnHostileSigns(@ForAll SignType type, @ForAll("params") Map<String, String> params,
                                         @ForAll("keys") String key, @ForAll("hostileSigns") String sign) {
        boolean ok = Signer.verify(params, key, type, sign);
        if (ok) {
            assertThat(sign).isEqualToIgnoringCase(Signer.sign(params, key, type));
        }
    }

    /** stringA depends on the entries, not on the order they were put in the map. */
    @Property(tries = 1000)
    void stringAIgnoresInsertionOrder(@ForAll("params") Map<String, String> params, @ForAll long seed) {
        List<Map.Entry<String, String>> entries = new ArrayList<Map.Entry<String, String>>(params.entrySet());
        Collections.shuffle(entries, new Random(seed));
        Map<String, String> shuffled = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : entries) {
            shuffled.put(e.getKey(), e.getValue());
        }
        String a = Signer.stringA(params);
        assertThat(Signer.stringA(shuffled)).isEqualTo(a);
        assertThat(Signer.stringA(new HashMap<String, String>(params))).isEqualTo(a);
        assertThat(Signer.stringA(new TreeMap<String, String>(params))).isEqualTo(a);
        assertThat(Signer.maskedStringSignTemp(shuffled)).isEqualTo(a + "&********");
    }

    /**
     * The signer hashes stringSignTemp in pieces (long values on their own); the result must be the
     * hash of the whole text encoded at once, as PROTOCOL.md defines it, for any Unicode, lone
     * surrogates included, and values on either side of the piece size.
     */
    @Property(tries = 500)
    void signIsTheHashOfTheWholeStringSignTemp(@ForAll SignType type, @ForAll("mixedLengthParams") Map<String, String> params,
                                               @ForAll("keys") String key) throws Exception {
        byte[] whole = (Signer.stringA(params) + "&" + key).getBytes(StandardCharsets.UTF_8);
        byte[] expected;
        if (type.isHmac()) {
            Mac mac = Mac.getInstance(type.jcaName());
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), type.jcaName()));
            expected = mac.doFinal(whole);
        } else {
            expected = MessageDigest.getInstance(type.jcaName()).digest(whole);
        }
        assertThat(Signer.sign(params, key, type)).isEqualTo(Signer.toHex(expected));
    }

    @Provide
    Arbitrary<Map<String, String>> mixedLengthParams() {
        return Arbitraries.maps(names(), Arbitraries.frequencyOf(
                Tuple.of(3, Gen.unicode(30)), Tuple.of(1, Gen.unicode(600)), Tuple.of(1, Gen.nonEmptyUnicode(3000)),
                // any chars, so lone surrogates too, next to the piece boundaries
                Tuple.of(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(1100)))).ofMaxSize(12);
    }

    @Provide
    Arbitrary<Map<String, String>> params() {
        return Arbitraries.maps(names(), Gen.unicode(30)).ofMaxSize(20);
    }

    @Provide
    Arbitrary<Map<String, String>> nonEmptyParams() {
        return Arbitraries.maps(names(), Gen.nonEmptyUnicode(30)).ofMinSize(1).ofMaxSize(20);
    }

    /** Names as on the wire, and sometimes arbitrary Unicode: the signer must not care. */
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.frequencyOf(Tuple.of(4, Gen.names()), Tuple.of(1, Gen.nonEmptyUnicode(8)));
    }

    @Provide
    Arbitrary<String> nonEmptyValues() {
        return Gen.nonEmptyUnicode(30);
    }

    @Provide
    Arbitrary<String> keys() {
        return Gen.nonEmptyUnicode(64);
    }

    @Provide
    Arbitrary<String> hostileSigns() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(200)),
                Tuple.of(3, Arbitraries.strings().all().ofMinLength(32).ofMaxLength(32)),
                Tuple.of(2, Arbitraries.strings().all().ofMinLength(40).ofMaxLength(40)),
                Tuple.of(3, Arbitraries.strings().all().ofMinLength(64).ofMaxLength(64)),
                Tuple.of(3, Arbitraries.strings().withChars("0123456789abcdefABCDEFgG\uff10\u0663\u00bd".toCharArray())
                        .ofMinLength(30).ofMaxLength(66)));
    }

    /** signType is case-insensitive for ASCII only: a letter that merely upper-cases to S or I is not a match. */
    @Property(tries = 1000)
    void signTypeNamesFoldAsciiCaseOnly(@ForAll SignType type, @ForAll long mask, @ForAll("nonAsciiFolding") String intruder,
                                        @ForAll int at) {
        String wire = type.wireName();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < wire.length(); i++) {
            char c = wire.charAt(i);
            sb.append(((mask >>> i) & 1) == 1 ? Character.toLowerCase(c) : c);
        }
        assertThat(SignType.fromWire(sb.toString())).isEqualTo(type);
        int i = Math.floorMod(at, wire.length());
        String spoofed = sb.substring(0, i) + intruder + sb.substring(i + 1);
        assertThat(SignType.fromWire(spoofed)).as(spoofed).isNull();
    }

    @Provide
    Arbitrary<String> nonAsciiFolding() {
        // long s, Kelvin sign, dotless i, fullwidth letters and digits, Cyrillic look-alikes
        return Arbitraries.of("\u017f", "\u212a", "\u0131", "\u0130", "\uff33", "\uff48", "\uff15", "\u0405", "\u041c", "\u0410");
    }
}
