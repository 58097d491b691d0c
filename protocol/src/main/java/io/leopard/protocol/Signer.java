package io.leopard.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of PROTOCOL.md section 3, for requests and responses alike: every field but
 * {@code sign} whose value is not empty, sorted by name in byte order, joined as raw
 * {@code name=value} pairs with {@code &} (stringA), then {@code &} and the key appended
 * (stringSignTemp), hashed, written as uppercase hex.
 *
 * <p>Stateless and thread-safe. Digests are cloned from prototypes made once, so no provider
 * lookup happens per call.
 */
public final class Signer {

    /** The field that carries the signature and is never signed itself. */
    public static final String SIGN_FIELD = "sign";

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Values up to this many chars are gathered with their neighbours before hashing. */
    private static final int INLINE_VALUE = 512;
    private static final MessageDigest MD5 = prototype(SignType.MD5);
    private static final MessageDigest SHA1 = prototype(SignType.SHA1);
    private static final MessageDigest SHA256 = prototype(SignType.SHA256);
    private static final Mac HMAC_SHA256 = hmacPrototype();

    private Signer() {
    }

    /** stringA: the sorted {@code name=value} pairs joined with {@code &}, without the key. */
    public static String stringA(Map<String, String> fields) {
        return joined(fields, false, false);
    }

    /**
     * The sorted {@code name=value} pairs joined with {@code &}; stringA when neither empty values
     * nor {@code sign} (whatever its value) are kept. The wrong recipes of {@link SignDiagnosis} keep them.
     */
    static String joined(Map<String, String> fields, boolean keepEmpty, boolean keepSign) {
        StringBuilder sb = new StringBuilder(fields.size() * 24);
        for (String name : SignOrder.names(fields, keepEmpty, keepSign)) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            String value = fields.get(name);
            sb.append(name).append('=').append(value == null ? "" : value);
        }
        return sb.toString();
    }

    /** The names a signature leaves out of {@code fields}: {@code sign} and those with empty values, in byte order. */
    public static List<String> skippedNames(Map<String, String> fields) {
        List<String> skipped = new ArrayList<String>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String value = e.getValue();
            if (value == null || value.isEmpty() || SIGN_FIELD.equals(e.getKey())) {
                skipped.add(e.getKey());
            }
        }
        Collections.sort(skipped, SignOrder.BYTE_ORDER);
        return skipped;
    }

    /**
     * The uppercase hex digest of {@code text} encoded in {@code charset}: hashed with {@code type},
     * or for HMAC-SHA256 keyed with {@code hmacKey}. The one digest of a text that is not
     * stringSignTemp, for the wrong recipes of {@link SignDiagnosis}: they hash other texts, other
     * bytes, or key the HMAC over stringA alone, but with the same algorithms as {@link #sign}.
     */
    static String hexOf(String text, Charset charset, String hmacKey, SignType type) {
        byte[] bytes = text.getBytes(charset);
        if (type.isHmac()) {
            try {
                Mac mac = hmac();
                mac.init(new SecretKeySpec(hmacKey.getBytes(StandardCharsets.UTF_8), type.jcaName()));
                return toHex(mac.doFinal(bytes));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
        return toHex(copyOf(type).digest(bytes));
    }

    /** stringSignTemp with the key replaced by asterisks: safe to print or log for debugging. */
    public static String maskedStringSignTemp(Map<String, String> fields) {
        return stringA(fields) + "&" + "********";
    }

    /** The uppercase hex signature of {@code fields} under {@code key}. */
    public static String sign(Map<String, String> fields, String key, SignType type) {
        return toHex(digest(fields, key, type));
    }

    /**
     * Whether {@code sign} is the signature of {@code fields}. Either hex case is accepted; the
     * comparison of digests takes the same time wherever they differ. A sign of the wrong length
     * or with non-hex characters is simply wrong.
     */
    public static boolean verify(Map<String, String> fields, String key, SignType type, String sign) {
        if (sign == null || key == null || key.isEmpty() || type == null) {
            return false;
        }
        byte[] expected = digest(fields, key, type);
        byte[] given = fromHex(sign, type.hexLength());
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] digest(Map<String, String> fields, String key, SignType type) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        if (type == null) {
            throw new IllegalArgumentException("sign type must not be null");
        }
        if (type.isHmac()) {
            try {
                Mac mac = hmac();
                mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), type.jcaName()));
                feed(fields, key, mac::update);
                return mac.doFinal();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        }
        MessageDigest digest = copyOf(type);
        feed(fields, key, digest::update);
        return digest.digest();
    }

    /** Where {@link #feed} writes: a digest or a MAC. */
    private interface ByteSink {
        void update(byte[] bytes);
    }

    /**
     * Writes stringSignTemp ({@code stringA&key}) as UTF-8 to {@code sink} without building it
     * whole: a batch answer's {@code orders} runs to tens of kilobytes, and copying it into one
     * text, then the text plus the key, then the bytes cost more than hashing it. Values longer than
     * {@link #INLINE_VALUE} go in on their own; the rest are gathered. The pieces always meet at an
     * ASCII {@code =} or {@code &}, so the bytes are exactly those of the whole text encoded at once
     * (a lone surrogate becomes {@code ?} either way).
     */
    private static void feed(Map<String, String> fields, String key, ByteSink sink) {
        SignOrder.Signed signed = SignOrder.of(fields);
        StringBuilder pending = new StringBuilder(256);
        for (int i = 0; i < signed.count; i++) {
            if (i > 0) {
                pending.append('&');
            }
            pending.append(signed.names[i]).append('=');
            String value = signed.values[i];
            if (value.length() > INLINE_VALUE) {
                sink.update(pending.toString().getBytes(StandardCharsets.UTF_8));
                pending.setLength(0);
                sink.update(value.getBytes(StandardCharsets.UTF_8));
            } else {
                pending.append(value);
            }
        }
        pending.append('&').append(key);
        sink.update(pending.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest copyOf(SignType type) {
        MessageDigest prototype = type == SignType.MD5 ? MD5 : type == SignType.SHA1 ? SHA1 : SHA256;
        try {
            return (MessageDigest) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return prototype(type);
        }
    }

    private static Mac hmac() throws GeneralSecurityException {
        try {
            return (Mac) HMAC_SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return Mac.getInstance(SignType.HMAC_SHA256.jcaName());
        }
    }

    private static Mac hmacPrototype() {
        try {
            return Mac.getInstance(SignType.HMAC_SHA256.jcaName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static MessageDigest prototype(SignType type) {
        try {
            return MessageDigest.getInstance(type.jcaName());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(type.jcaName() + " is not available in this JVM", e);
        }
    }

    static String toHex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    /** Decodes hex of exactly {@code length} characters, either case; {@code null} otherwise. */
    static byte[] fromHex(String hex, int length) {
        if (hex.length() != length) {
            return null;
        }
        byte[] out = new byte[length / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || hex.charAt(2 * i) > 'f' || hex.charAt(2 * i + 1) > 'f') {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }
}
