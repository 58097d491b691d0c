package io.leopard.server.channel.alipay;

import io.leopard.server.channel.ChannelException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Alipay's RSA2 signatures (SHA256withRSA, base64). A request is signed over its parameters sorted
 * by name, {@code sign} and empty values left out, joined as {@code k=v&k=v} with the raw values
 * (the form body's URL encoding is not part of it). An answer is signed over the raw text of its
 * response object, see {@link AlipayEnvelope}.
 */
final class AlipaySign {
    static final String ALGORITHM = "SHA256withRSA";

    private AlipaySign() {
    }

    /** The text a request's signature covers. */
    static String content(Map<String, String> params) {
        StringJoiner joined = new StringJoiner("&");
        // TreeMap: String order is by UTF-16 code unit, as the SDK's sort (parameter names are ASCII anyway)
        new TreeMap<>(params).forEach((name, value) -> {
            if (!"sign".equals(name) && value != null && !value.isEmpty()) {
                joined.add(name + "=" + value);
            }
        });
        return joined.toString();
    }

    /** The {@code sign} of {@code params}. */
    static String sign(Map<String, String> params, PrivateKey key) {
        return sign(content(params), key);
    }

    static String sign(String content, PrivateKey key) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            // only a key the JDK cannot use gets here, and credentials are checked when set
            throw new ChannelException(ChannelException.Failure.NOT_CONFIGURED,
                    "the app's privateKey cannot sign: " + e.getClass().getSimpleName());
        }
    }

    /** Whether {@code sign} (base64) is {@code key}'s signature of {@code content}; a sign that is not base64 is not. */
    static boolean verify(String content, String sign, PublicKey key) {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(sign.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(content.getBytes(StandardCharsets.UTF_8));
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
