package io.leopard.server.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat Pay v2's signature: the non-empty parameters but {@code sign}, sorted by name, joined as
 * {@code k=v&...}, then {@code &key=<API key>}; MD5 of that, or HMAC-SHA256 keyed with the API key,
 * in upper-case hex. Requests and answers are signed alike, with the {@code sign_type} of the request.
 */
enum WechatSign {
    MD5("MD5"),
    HMAC_SHA256("HMAC-SHA256");

    /** The parameter that carries the signature, never part of what is signed. */
    static final String SIGN = "sign";

    private final String wireName;

    WechatSign(String wireName) {
        this.wireName = wireName;
    }

    /** The value of {@code sign_type} (and of the {@code signType} credential field). */
    String wireName() {
        return wireName;
    }

    static Optional<WechatSign> of(String wireName) {
        for (WechatSign s : values()) {
            if (s.wireName.equalsIgnoreCase(wireName)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The signature of {@code params} (its {@code sign}, if any, left out). */
    String sign(Map<String, String> params, String apiKey) {
        byte[] text = signedText(params, apiKey).getBytes(StandardCharsets.UTF_8);
        byte[] digest;
        try {
            if (this == MD5) {
                digest = MessageDigest.getInstance("MD5").digest(text);
            } else {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(apiKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                digest = mac.doFinal(text);
            }
        } catch (GeneralSecurityException e) {
            // both are mandatory in every JDK
            throw new IllegalStateException(wireName + " is not available", e);
        }
        return HexFormat.of().withUpperCase().formatHex(digest);
    }

    /**
     * Whether {@code params} carry their right signature. The comparison takes the same time
     * wherever the signatures differ, so an answer forger learns nothing from timing; the case of
     * the hex is not significant.
     */
    boolean verify(Map<String, String> params, String apiKey) {
        String given = params.get(SIGN);
        if (given == null || given.isEmpty()) {
            return false;
        }
        byte[] expected = sign(params, apiKey).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** What is digested: the secret is in it, so it is never logged. */
    private static String signedText(Map<String, String> params, String apiKey) {
        StringBuilder text = new StringBuilder(256);
        // TreeMap: String's natural order is WeChat's ASCII order of the (ASCII) parameter names
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getValue() != null && !e.getValue().isEmpty() && !SIGN.equals(e.getKey())) {
                text.append(e.getKey()).append('=').append(e.getValue()).append('&');
            }
        }
        return text.append("key=").append(apiKey).toString();
    }
}
