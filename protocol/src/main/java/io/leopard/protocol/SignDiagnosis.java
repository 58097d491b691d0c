package io.leopard.protocol;

import java.io.UnsupportedEncodingException;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a sign is wrong: rebuilds the sign of a request with the protocol's recipe and with each
 * known wrong recipe ({@link SignRecipe}), under the merchant's key, and names the first that gives
 * the merchant's sign. The hashing is {@link Signer}'s; only the texts and bytes differ.
 *
 * <p>The answer holds stringA and the names left out, never the key: it is shown to whoever sent
 * the request.
 */
public final class SignDiagnosis {
    private static final Charset GBK = Charset.forName("GBK");

    private final String stringA;
    private final String maskedStringSignTemp;
    private final List<String> skipped;
    private final SignRecipe recipe;

    private SignDiagnosis(String stringA, String maskedStringSignTemp, List<String> skipped, SignRecipe recipe) {
        this.stringA = stringA;
        this.maskedStringSignTemp = maskedStringSignTemp;
        this.skipped = skipped;
        this.recipe = recipe;
    }

    /**
     * Diagnoses {@code sign} of {@code params} (every parameter as sent, {@code sign} included or
     * not) under {@code key} and {@code type}.
     */
    public static SignDiagnosis of(Map<String, String> params, String key, SignType type, String sign) {
        if (key == null || key.isEmpty() || type == null) {
            throw new IllegalArgumentException("a key and a sign type are needed");
        }
        String stringA = Signer.stringA(params);
        List<String> skipped = Collections.unmodifiableList(Signer.skippedNames(params));
        return new SignDiagnosis(stringA, Signer.maskedStringSignTemp(params), skipped, recipeOf(params, stringA, key, type, sign == null ? "" : sign));
    }

    private static SignRecipe recipeOf(Map<String, String> params, String stringA, String key, SignType type, String sign) {
        String right = Signer.sign(params, key, type);
        if (right.equals(sign)) {
            return SignRecipe.CORRECT;
        }
        if (right.equalsIgnoreCase(sign)) {
            return SignRecipe.LOWER_CASE_HEX;
        }
        // the wrong recipes are matched in either hex case: a merchant may have two mistakes
        if (matches(Signer.hexOf(stringA + "&key=" + key, StandardCharsets.UTF_8, key, type), sign)) {
            return SignRecipe.KEY_PREFIX;
        }
        Map<String, String> trimmed = mapValues(params, false);
        if (!trimmed.equals(params) && matches(Signer.sign(trimmed, key, type), sign)) {
            return SignRecipe.VALUES_TRIMMED;
        }
        Map<String, String> encoded = mapValues(params, true);
        if (!encoded.equals(params) && matches(Signer.sign(encoded, key, type), sign)) {
            return SignRecipe.VALUES_URL_ENCODED;
        }
        // as encodeURIComponent and rawurlencode write it: a space is %20, not +
        Map<String, String> percentEncoded = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : encoded.entrySet()) {
            percentEncoded.put(e.getKey(), e.getValue() == null ? null : e.getValue().replace("+", "%20"));
        }
        if (!percentEncoded.equals(encoded) && matches(Signer.sign(percentEncoded, key, type), sign)) {
            return SignRecipe.VALUES_URL_ENCODED;
        }
        if (type == SignType.HMAC_SHA256 && matches(Signer.hexOf(stringA, StandardCharsets.UTF_8, key, type), sign)) {
            return SignRecipe.HMAC_OVER_STRING_A;
        }
        String stringSignTemp = stringA + "&" + key;
        if (!isAscii(stringSignTemp) && matches(Signer.hexOf(stringSignTemp, GBK, key, type), sign)) {
            return SignRecipe.GBK_BYTES;
        }
        Map<String, String> withEmptySign = new LinkedHashMap<String, String>(params);
        withEmptySign.put(Signer.SIGN_FIELD, "");
        if (matches(Signer.hexOf(Signer.joined(withEmptySign, false, true) + "&" + key, StandardCharsets.UTF_8, key, type), sign)) {
            return SignRecipe.SIGN_INCLUDED;
        }
        String withEmpty = Signer.joined(params, true, false);
        if (!withEmpty.equals(stringA) && matches(Signer.hexOf(withEmpty + "&" + key, StandardCharsets.UTF_8, key, type), sign)) {
            return SignRecipe.EMPTY_VALUES_SIGNED;
        }
        for (SignType other : SignType.values()) {
            if (other != type && matches(Signer.sign(params, key, other), sign)) {
                return SignRecipe.OTHER_SIGN_TYPE;
            }
        }
        return SignRecipe.UNKNOWN;
    }

    private static boolean matches(String upperHex, String sign) {
        return upperHex.equalsIgnoreCase(sign);
    }

    /** {@code params} with every value trimmed, or URL-encoded as a form encodes it (UTF-8). */
    private static Map<String, String> mapValues(Map<String, String> params, boolean urlEncode) {
        Map<String, String> out = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            String value = e.getValue();
            out.put(e.getKey(), value == null ? null : urlEncode ? urlEncoded(value) : value.trim());
        }
        return out;
    }

    private static String urlEncoded(String value) {
        try {
            return URLEncoder.encode(value, "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    /** stringA as the server built it: values shown, no key. */
    public String stringA() {
        return stringA;
    }

    /** stringSignTemp with the key masked. */
    public String maskedStringSignTemp() {
        return maskedStringSignTemp;
    }

    /** The parameters left out of stringA: {@code sign} and those with empty values, in byte order. */
    public List<String> skipped() {
        return skipped;
    }

    /** How the sign was made, as far as the known recipes tell. */
    public SignRecipe recipe() {
        return recipe;
    }
}
