package io.leopard.server.testing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A verifier written from PROTOCOL.md alone, sharing no code with the server's signer: reads the
 * answer's fields as the wire has them (numbers by literal text), signs them again, compares.
 */
public final class IndependentVerifier {

    private IndependentVerifier() {
    }

    /** The top-level fields of a flat JSON answer, numbers as their literal text, in order. */
    public static Map<String, String> fields(String json) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new AssertionError("not an object: " + json);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw new AssertionError("field " + name + " is " + t + " in " + json);
                }
                if (out.put(name, p.getText()) != null) {
                    throw new AssertionError("field " + name + " twice in " + json);
                }
            }
        }
        return out;
    }

    public static String sign(Map<String, String> fields, String key, String signType) throws Exception {
        TreeMap<String, String> sorted = new TreeMap<>();
        fields.forEach((k, v) -> {
            if (!k.equals("sign") && v != null && !v.isEmpty()) {
                sorted.put(k, v);
            }
        });
        StringBuilder temp = new StringBuilder();
        sorted.forEach((k, v) -> temp.append(k).append('=').append(v).append('&'));
        temp.append(key);
        byte[] bytes = temp.toString().getBytes(StandardCharsets.UTF_8);
        byte[] digest;
        switch (signType.toUpperCase(Locale.ROOT)) {
            case "MD5" -> digest = MessageDigest.getInstance("MD5").digest(bytes);
            case "SHA1" -> digest = MessageDigest.getInstance("SHA-1").digest(bytes);
            case "SHA256" -> digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            case "HMAC-SHA256" -> {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                digest = mac.doFinal(bytes);
            }
            default -> throw new IllegalArgumentException(signType);
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : digest) {
            hex.append(String.format("%02X", b));
        }
        return hex.toString();
    }

    /** Whether the answer's {@code sign} is right for {@code key}, using its signType or MD5. */
    public static boolean verify(Map<String, String> fields, String key, String signType) throws Exception {
        String sign = fields.get("sign");
        return sign != null && sign.equals(sign(fields, key, signType));
    }
}
