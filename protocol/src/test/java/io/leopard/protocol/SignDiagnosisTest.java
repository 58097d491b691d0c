package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.Charset;
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

/**
 * Each wrong recipe built here by hand, independently of {@link Signer} (the texts written out, the
 * digests from the JDK), and given to the diagnosis, which must name it.
 */
class SignDiagnosisTest {
    private static final String KEY = "ddbax6n4cg8qj958ytt6";

    /** The published example, with a value that trimming changes and an empty one. */
    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", "123456789098765");
        p.put("orderNo", "SC112233445566778899");
        p.put("notify", "https://domain/notify");
        p.put("remark", "杯具 ");
        p.put("attach", "");
        return p;
    }

    private static final String STRING_A = "mid=123456789098765&notify=https://domain/notify&orderNo=SC112233445566778899&remark=杯具 ";

    private static String hex(String text, Charset charset, SignType type, String key) throws Exception {
        byte[] digest;
        if (type == SignType.HMAC_SHA256) {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            digest = mac.doFinal(text.getBytes(charset));
        } else {
            String name = type == SignType.MD5 ? "MD5" : type == SignType.SHA1 ? "SHA-1" : "SHA-256";
            digest = MessageDigest.getInstance(name).digest(text.getBytes(charset));
        }
        StringBuilder sb = new StringBuilder();
        for (byte b : digest) {
            sb.append(String.format("%02X", b));
        }
        return sb.toString();
    }

    private static SignRecipe diagnose(SignType type, String sign) {
        return SignDiagnosis.of(params(), KEY, type, sign).recipe();
    }

    @Test
    void showsStringAAndSkippedNamesNeverTheKey() throws Exception {
        Map<String, String> p = params();
        p.put("sign", "X");
        SignDiagnosis d = SignDiagnosis.of(p, KEY, SignType.MD5, "X");
        assertThat(d.stringA()).isEqualTo(STRING_A);
        assertThat(d.maskedStringSignTemp()).isEqualTo(STRING_A + "&********").doesNotContain(KEY);
        assertThat(d.skipped()).containsExactly("attach", "sign");
        assertThat(d.recipe()).isEqualTo(SignRecipe.UNKNOWN);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void rightSignIsCorrectAndLowerCaseIsNamed(SignType type) throws Exception {
        String right = hex(STRING_A + "&" + KEY, StandardCharsets.UTF_8, type, KEY);
        assertThat(diagnose(type, right)).isEqualTo(SignRecipe.CORRECT);
        assertThat(diagnose(type, right.toLowerCase(Locale.ROOT))).isEqualTo(SignRecipe.LOWER_CASE_HEX);
        assertThat(SignRecipe.LOWER_CASE_HEX.verifies()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void keyPrefix(SignType type) throws Exception {
        assertThat(diagnose(type, hex(STRING_A + "&key=" + KEY, StandardCharsets.UTF_8, type, KEY)))
                .isEqualTo(SignRecipe.KEY_PREFIX);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void valuesTrimmed(SignType type) throws Exception {
        String trimmed = STRING_A.substring(0, STRING_A.length() - 1);
        assertThat(diagnose(type, hex(trimmed + "&" + KEY, StandardCharsets.UTF_8, type, KEY))).isEqualTo(SignRecipe.VALUES_TRIMMED);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void valuesUrlEncoded(SignType type) throws Exception {
        String encoded = "mid=123456789098765&notify=" + URLEncoder.encode("https://domain/notify", StandardCharsets.UTF_8)
                + "&orderNo=SC112233445566778899&remark=" + URLEncoder.encode("杯具 ", StandardCharsets.UTF_8);
        assertThat(diagnose(type, hex(encoded + "&" + KEY, StandardCharsets.UTF_8, type, KEY)).name())
                .isEqualTo("VALUES_URL_ENCODED");
        // encodeURIComponent / rawurlencode: the space as %20
        String percent = encoded.replace("+", "%20");
        assertThat(diagnose(type, hex(percent + "&" + KEY, StandardCharsets.UTF_8, type, KEY)).name())
                .isEqualTo("VALUES_URL_ENCODED");
    }

    @Test
    void hmacOverStringA() throws Exception {
        assertThat(diagnose(SignType.HMAC_SHA256, hex(STRING_A, StandardCharsets.UTF_8, SignType.HMAC_SHA256, KEY)))
                .isEqualTo(SignRecipe.HMAC_OVER_STRING_A);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void gbkBytes(SignType type) throws Exception {
        assertThat(diagnose(type, hex(STRING_A + "&" + KEY, Charset.forName("GBK"), type, KEY))).isEqualTo(SignRecipe.GBK_BYTES);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void signIncluded(SignType type) throws Exception {
        String withSign = "mid=123456789098765&notify=https://domain/notify&orderNo=SC112233445566778899&remark=杯具 &sign=";
        assertThat(diagnose(type, hex(withSign + "&" + KEY, StandardCharsets.UTF_8, type, KEY))).isEqualTo(SignRecipe.SIGN_INCLUDED);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void emptyValuesSigned(SignType type) throws Exception {
        assertThat(diagnose(type, hex("attach=&" + STRING_A + "&" + KEY, StandardCharsets.UTF_8, type, KEY)))
                .isEqualTo(SignRecipe.EMPTY_VALUES_SIGNED);
    }

    @Test
    void otherSignType() throws Exception {
        String md5 = hex(STRING_A + "&" + KEY, StandardCharsets.UTF_8, SignType.MD5, KEY);
        assertThat(diagnose(SignType.SHA256, md5)).isEqualTo(SignRecipe.OTHER_SIGN_TYPE);
        String hmac = hex(STRING_A + "&" + KEY, StandardCharsets.UTF_8, SignType.HMAC_SHA256, KEY);
        assertThat(diagnose(SignType.SHA256, hmac)).isEqualTo(SignRecipe.OTHER_SIGN_TYPE);
    }

    @Test
    void anotherKeyIsUnknown() throws Exception {
        assertThat(diagnose(SignType.MD5, hex(STRING_A + "&otherkey123", StandardCharsets.UTF_8, SignType.MD5, KEY)))
                .isEqualTo(SignRecipe.UNKNOWN);
        assertThat(diagnose(SignType.MD5, "")).isEqualTo(SignRecipe.UNKNOWN);
        assertThat(diagnose(SignType.MD5, "not hex at all")).isEqualTo(SignRecipe.UNKNOWN);
    }

    @Test
    void everyRecipeSaysWhatItMeansInBothLanguages() {
        for (SignRecipe r : SignRecipe.values()) {
            assertThat(r.chinese()).isNotBlank();
            assertThat(r.english()).isNotBlank();
        }
    }
}
