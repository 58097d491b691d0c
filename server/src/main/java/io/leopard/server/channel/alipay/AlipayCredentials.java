package io.leopard.server.channel.alipay;

import io.leopard.server.channel.InvalidCredentialsException;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The fields of an Alipay account, checked when they are set so a wrong key is refused then, not at
 * the first sync: {@value #APP_ID} (digits), {@value #PRIVATE_KEY} (the app's RSA private key) and
 * {@value #ALIPAY_PUBLIC_KEY} (Alipay's public key, which signs the answers). Messages name the
 * field and never quote a value.
 */
final class AlipayCredentials {
    static final String APP_ID = "appId";
    static final String PRIVATE_KEY = "privateKey";
    static final String ALIPAY_PUBLIC_KEY = "alipayPublicKey";
    static final List<String> FIELDS = List.of(APP_ID, PRIVATE_KEY, ALIPAY_PUBLIC_KEY);
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,32}");
    /** A 4096-bit key in PEM is about 3.3 KB: anything far larger is not a key. */
    private static final int MAX_KEY_CHARS = 16 * 1024;

    private AlipayCredentials() {
    }

    /** The fields as stored: the app id trimmed, both keys as bare base64 DER on one line. */
    static Map<String, String> check(Map<String, String> fields) {
        for (String name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                // a misspelt field would otherwise be stored and silently ignored
                throw new InvalidCredentialsException(name, name + " is not an alipay field; the fields are " + FIELDS);
            }
        }
        String appId = present(fields, APP_ID).strip();
        if (!DIGITS.matcher(appId).matches()) {
            throw new InvalidCredentialsException(APP_ID, APP_ID + " must be the app's digits (APPID of the Alipay open platform)");
        }
        AlipayKeys.Normalized<RSAPrivateCrtKey> privateKey;
        try {
            privateKey = AlipayKeys.readPrivate(key(fields, PRIVATE_KEY));
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(PRIVATE_KEY, PRIVATE_KEY + " " + e.getMessage());
        }
        AlipayKeys.Normalized<RSAPublicKey> publicKey;
        try {
            publicKey = AlipayKeys.readPublic(key(fields, ALIPAY_PUBLIC_KEY));
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(ALIPAY_PUBLIC_KEY, ALIPAY_PUBLIC_KEY + " " + e.getMessage());
        }
        if (AlipayKeys.samePair(privateKey.key(), publicKey.key())) {
            // the usual mix-up: the app's own public key pasted where Alipay's belongs
            throw new InvalidCredentialsException(ALIPAY_PUBLIC_KEY, ALIPAY_PUBLIC_KEY
                    + " is the app's own public key; it must be Alipay's public key, shown next to it on the open platform");
        }
        Map<String, String> normalized = new LinkedHashMap<>();
        normalized.put(APP_ID, appId);
        normalized.put(PRIVATE_KEY, privateKey.base64());
        normalized.put(ALIPAY_PUBLIC_KEY, publicKey.base64());
        return normalized;
    }

    private static String present(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new InvalidCredentialsException(name, name + " is required");
        }
        return value;
    }

    private static String key(Map<String, String> fields, String name) {
        String value = present(fields, name);
        if (value.length() > MAX_KEY_CHARS) {
            throw new InvalidCredentialsException(name, name + " is " + value.length() + " characters long, too long for an RSA key");
        }
        return value;
    }
}
