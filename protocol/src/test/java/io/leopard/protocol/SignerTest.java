package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignerTest {

    /** The published worked example of PROTOCOL.md section 3. */
    private static Map<String, String> publishedExample() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", "123456789098765");
        p.put("orderNo", "SC112233445566778899");
        p.put("amount", "65.50");
        p.put("currency", "CNY");
        p.put("date", "20160510");
        p.put("time", "152030");
        p.put("notify", "https://domain/notify");
        p.put("remark", "杯具");
        return p;
    }

    private static final String PUBLISHED_KEY = "ddbax6n4cg8qj958ytt6";

    @Test
    void publishedWorkedExamplePasses() {
        Map<String, String> p = publishedExample();
        assertThat(Signer.stringA(p) + "&" + PUBLISHED_KEY).isEqualTo(
                "amount=65.50&currency=CNY&date=20160510&mid=123456789098765&notify=https://domain/notify"
                        + "&orderNo=SC112233445566778899&remark=杯具&time=152030&ddbax6n4cg8qj958ytt6");
        assertThat(Signer.sign(p, PUBLISHED_KEY, SignType.MD5)).isEqualTo("2B086E3C763634A869829AE9198F7DAE");
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, "2B086E3C763634A869829AE9198F7DAE")).isTrue();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, "2b086e3c763634a869829ae9198f7dae")).isTrue();
    }

    /** Vectors computed independently with the JDK's digests over the literal stringSignTemp. */
    @ParameterizedTest
    @EnumSource(SignType.class)
    void everySignTypeMatchesAnIndependentComputation(SignType type) throws Exception {
        Map<String, String> p = publishedExample();
        p.put("signType", type.wireName());
        p.put("extField", "扩展 字段 with spaces & symbols=");
        String temp = "amount=65.50&currency=CNY&date=20160510&extField=扩展 字段 with spaces & symbols="
                + "&mid=123456789098765&notify=https://domain/notify&orderNo=SC112233445566778899&remark=杯具"
                + "&signType=" + type.wireName() + "&time=152030&" + PUBLISHED_KEY;
        byte[] bytes = temp.getBytes(StandardCharsets.UTF_8);
        byte[] expected;
        switch (type) {
            case MD5: expected = MessageDigest.getInstance("MD5").digest(bytes); break;
            case SHA1: expected = MessageDigest.getInstance("SHA-1").digest(bytes); break;
            case SHA256: expected = MessageDigest.getInstance("SHA-256").digest(bytes); break;
            default:
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(PUBLISHED_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                expected = mac.doFinal(bytes);
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : expected) {
            hex.append(String.format("%02X", b));
        }
        String sign = Signer.sign(p, PUBLISHED_KEY, type);
        assertThat(sign).isEqualTo(hex.toString()).hasSize(type.hexLength());
        assertThat(Signer.verify(p, PUBLISHED_KEY, type, sign)).isTrue();
        assertThat(Signer.verify(p, PUBLISHED_KEY, type, sign.toLowerCase(Locale.ROOT))).isTrue();
    }

    @Test
    void fixedVectorsForEachSignType() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", "100000510983456");
        p.put("orderNo", "M201611101010100002");
        p.put("noise", "abc123");
        // Fixed outputs: any change to the algorithm breaks these.
        assertThat(Signer.stringA(p)).isEqualTo("mid=100000510983456&noise=abc123&orderNo=M201611101010100002");
        assertThat(Signer.sign(p, "kx5hd8wq3mzt7rvn2cpb", SignType.MD5)).isEqualTo(md5Hex(
                "mid=100000510983456&noise=abc123&orderNo=M201611101010100002&kx5hd8wq3mzt7rvn2cpb"));
    }

    @Test
    void emptyValuesAndTheSignFieldAreNotSigned() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("b", "2");
        a.put("a", "1");
        Map<String, String> b = new LinkedHashMap<>(a);
        b.put("empty", "");
        b.put("sign", "WHATEVER");
        assertThat(Signer.stringA(b)).isEqualTo("a=1&b=2");
        assertThat(Signer.sign(b, "k", SignType.MD5)).isEqualTo(Signer.sign(a, "k", SignType.MD5));
    }

    @Test
    void namesSortByByteOrderCaseSensitive() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("b", "1");
        p.put("B", "2");
        p.put("a_", "3");
        p.put("a.", "4");
        p.put("A", "5");
        assertThat(Signer.stringA(p)).isEqualTo("A=5&B=2&a.=4&a_=3&b=1");
    }

    @Test
    void valuesAreRawNotTrimmedNorEncoded() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("x", " a b ");
        p.put("y", "%20+&=");
        assertThat(Signer.stringA(p)).isEqualTo("x= a b &y=%20+&=");
    }

    @Test
    void wrongSignaturesAreRejected() {
        Map<String, String> p = publishedExample();
        String good = Signer.sign(p, PUBLISHED_KEY, SignType.MD5);
        assertThat(Signer.verify(p, "otherkey", SignType.MD5, good)).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.SHA1, good)).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, good.substring(1))).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, good + "0")).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, "G" + good.substring(1))).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, "")).isFalse();
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, null)).isFalse();
        // fullwidth digits are Character.digit()-able but are not hex on the wire
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, "２" + good.substring(1))).isFalse();
        p.put("remark", "杯具 ");
        assertThat(Signer.verify(p, PUBLISHED_KEY, SignType.MD5, good)).isFalse();
    }

    @Test
    void keyPrefixPitfallGivesADifferentSign() {
        Map<String, String> p = publishedExample();
        assertThat(md5Hex(Signer.stringA(p) + "&key=" + PUBLISHED_KEY)).isNotEqualTo("2B086E3C763634A869829AE9198F7DAE");
    }

    @Test
    void emptyKeyIsRefused() {
        assertThatThrownBy(() -> Signer.sign(publishedExample(), "", SignType.MD5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maskedStringNeverHoldsTheKey() {
        assertThat(Signer.maskedStringSignTemp(publishedExample())).doesNotContain(PUBLISHED_KEY).endsWith("&********");
    }

    @Test
    void signTypeParsingIgnoresCase() {
        assertThat(SignType.fromWire("md5")).isEqualTo(SignType.MD5);
        assertThat(SignType.fromWire("Hmac-Sha256")).isEqualTo(SignType.HMAC_SHA256);
        assertThat(SignType.fromWire("sha1")).isEqualTo(SignType.SHA1);
        assertThat(SignType.fromWire("SHA-256")).isNull();
        assertThat(SignType.fromWire("HMACSHA256")).isNull();
        assertThat(SignType.fromWire(null)).isNull();
    }

    static String md5Hex(String s) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (byte b : d) {
                hex.append(String.format("%02X", b));
            }
            return hex.toString();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
