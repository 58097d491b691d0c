package io.leopard.server.channel.wechat;

import io.leopard.server.channel.InvalidCredentialsException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The gate of a merchant's WeChat Pay credentials: each field checked once, when it is set, so a
 * bad one is refused at once and never meets WeChat. No message says a secret's value, only what is
 * wrong with it.
 */
final class WechatCredentials {
    static final String APPID = "appid";
    static final String MCH_ID = "mchId";
    static final String SUB_MCH_ID = "subMchId";
    static final String KEY = "key";
    static final String SIGN_TYPE = "signType";
    static final String CERT_P12 = "certP12";
    static final String CERT_PASSWORD = "certPassword";
    static final List<String> FIELDS = List.of(APPID, MCH_ID, SUB_MCH_ID, KEY, SIGN_TYPE, CERT_P12, CERT_PASSWORD);

    /** WeChat's own limits: appid is String(32) (wx + 16 hex in practice), merchant numbers are digits. */
    private static final Pattern APPID_SHAPE = Pattern.compile("[A-Za-z0-9_]{1,32}");
    private static final Pattern MCH_ID_SHAPE = Pattern.compile("[0-9]{1,32}");
    /** The v2 API key merchants set in the merchant platform: exactly 32 letters and digits. */
    private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9]{32}");
    /** apiclient_cert.p12 is about 3 KB; 64 KiB leaves room for a long chain and refuses a mistake. */
    private static final int MAX_CERT_BYTES = 64 * 1024;
    private static final int MAX_PASSWORD = 128;
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private WechatCredentials() {
    }

    /**
     * The fields as they are stored: trimmed, {@code signType} spelled out ({@code MD5} when not
     * given), {@code certP12} as one line of base64.
     *
     * @throws InvalidCredentialsException naming the first field that is missing, unknown or wrong
     */
    static Map<String, String> check(Map<String, String> given) {
        for (String name : given.keySet()) {
            // a misspelt optional field (subMchID) would otherwise be dropped without a word
            if (!FIELDS.contains(name)) {
                throw new InvalidCredentialsException(name, "unknown WeChat Pay field " + name + "; the fields are " + FIELDS);
            }
        }
        Map<String, String> checked = new LinkedHashMap<>();
        checked.put(APPID, shaped(given, APPID, true, APPID_SHAPE, "up to 32 letters, digits or _ (wx and 16 hex digits)"));
        checked.put(MCH_ID, shaped(given, MCH_ID, true, MCH_ID_SHAPE, "up to 32 digits"));
        String subMchId = shaped(given, SUB_MCH_ID, false, MCH_ID_SHAPE, "up to 32 digits");
        if (subMchId != null) {
            checked.put(SUB_MCH_ID, subMchId);
        }
        String key = trimmed(given, KEY);
        if (key == null) {
            throw new InvalidCredentialsException(KEY, "key is required: the merchant's 32-character API key (v2)");
        }
        if (!KEY_SHAPE.matcher(key).matches()) {
            throw new InvalidCredentialsException(KEY, "key must be 32 letters and digits (the API key, v2), got "
                    + key.length() + " characters" + (key.length() == 32 ? ", not all letters and digits" : ""));
        }
        checked.put(KEY, key);
        String signType = trimmed(given, SIGN_TYPE);
        WechatSign sign = signType == null ? WechatSign.MD5 : WechatSign.of(signType).orElseThrow(() ->
                new InvalidCredentialsException(SIGN_TYPE, "signType must be MD5 or HMAC-SHA256"));
        checked.put(SIGN_TYPE, sign.wireName());
        checkCertificate(given, checked);
        return Collections.unmodifiableMap(checked);
    }

    private static void checkCertificate(Map<String, String> given, Map<String, String> checked) {
        String p12 = trimmed(given, CERT_P12);
        String password = given.get(CERT_PASSWORD);
        if (p12 == null) {
            if (password != null && !password.isEmpty()) {
                throw new InvalidCredentialsException(CERT_PASSWORD, "certPassword is given without certP12");
            }
            return;
        }
        if (password == null || password.isEmpty()) {
            // WeChat's default password is the mchId, but a guess would hide a wrong certificate
            throw new InvalidCredentialsException(CERT_PASSWORD, "certPassword is required with certP12 (WeChat's default is the mchId)");
        }
        if (password.length() > MAX_PASSWORD) {
            throw new InvalidCredentialsException(CERT_PASSWORD, "certPassword is longer than " + MAX_PASSWORD + " characters");
        }
        // a base64 file is often wrapped at 64 or 76 columns
        String compact = WHITESPACE.matcher(p12).replaceAll("");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(compact);
        } catch (IllegalArgumentException e) {
            throw new InvalidCredentialsException(CERT_P12, "certP12 is not base64 (of apiclient_cert.p12)");
        }
        if (bytes.length == 0 || bytes.length > MAX_CERT_BYTES) {
            throw new InvalidCredentialsException(CERT_P12, "certP12 must be a PKCS#12 file of at most " + MAX_CERT_BYTES + " bytes, got " + bytes.length);
        }
        openable(bytes, password);
        checked.put(CERT_P12, compact);
        checked.put(CERT_PASSWORD, password);
    }

    /** The certificate opens with the password and holds a private key: what mutual TLS needs. */
    static KeyStore openable(byte[] p12, String password) {
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(p12), password.toCharArray());
        } catch (IOException | GeneralSecurityException e) {
            // the JDK says "keystore password was incorrect" and the like: no secret, but no need either
            throw new InvalidCredentialsException(CERT_P12, "certP12 cannot be opened as PKCS#12 with certPassword");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getCertificate(alias) != null) {
                    return store;
                }
            }
        } catch (GeneralSecurityException e) {
            throw new InvalidCredentialsException(CERT_P12, "certP12 cannot be read: " + e.getClass().getSimpleName());
        }
        throw new InvalidCredentialsException(CERT_P12, "certP12 holds no private key with its certificate");
    }

    private static String shaped(Map<String, String> given, String field, boolean required, Pattern shape, String rule) {
        String value = trimmed(given, field);
        if (value == null) {
            if (required) {
                throw new InvalidCredentialsException(field, field + " is required: " + rule);
            }
            return null;
        }
        if (!shape.matcher(value).matches()) {
            // appid and merchant numbers are not secret, but an echo would let a key pasted here into a log
            throw new InvalidCredentialsException(field, field + " must be " + rule + ", got " + value.length() + " characters");
        }
        return value;
    }

    private static String trimmed(Map<String, String> given, String field) {
        String value = given.get(field);
        if (value == null) {
            return null;
        }
        value = value.strip();
        return value.isEmpty() ? null : value;
    }
}
