package io.leopard.server.channel.alipay;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The RSA keys of Alipay accounts: read from the forms merchants paste (PEM, or the bare base64
 * Alipay's key tool prints), and kept parsed, because a key is used on every call and parsing one
 * costs far more than the signature. Keys are cached by their normalized text (bare base64 DER,
 * what {@link AlipayCredentials} stores), so a credential changed on any node is simply a new entry.
 */
final class AlipayKeys {
    /** Below this, RSA keys are not considered safe; Alipay's own tool makes 2048-bit keys. */
    static final int MIN_BITS = 2048;
    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters, DER. */
    private static final byte[] RSA_ALGORITHM = {
            0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final Cache<String, RSAPrivateCrtKey> privateKeys = Caffeine.newBuilder().maximumSize(10_000).build();
    private final Cache<String, RSAPublicKey> publicKeys = Caffeine.newBuilder().maximumSize(10_000).build();

    /** A pasted key, parsed, and in the form it is stored: its DER (PKCS#8 or X.509) as one line of base64. */
    record Normalized<K>(K key, String base64) {
    }

    /**
     * Reads a private key given as PKCS#8 or PKCS#1, PEM or bare base64 (Alipay's key tool prints
     * PKCS#8 "for Java" and PKCS#1 for other languages, both without PEM lines).
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    static Normalized<RSAPrivateCrtKey> readPrivate(String text) {
        Pem pem = Pem.read(text);
        List<byte[]> forms = switch (pem.label()) {
            case "PRIVATE KEY" -> List.of(pem.der());
            case "RSA PRIVATE KEY" -> List.of(pkcs8(pem.der()));
            case "" -> List.of(pem.der(), pkcs8(pem.der()));
            case "PUBLIC KEY", "RSA PUBLIC KEY" -> throw new IllegalArgumentException("is a public key, not the app's private key");
            default -> throw new IllegalArgumentException("is a PEM \"" + pem.label() + "\", not an RSA private key");
        };
        for (byte[] der : forms) {
            Optional<RSAPrivateCrtKey> key = privateFromDer(der);
            if (key.isPresent()) {
                requireBits(key.get().getModulus().bitLength());
                return new Normalized<>(key.get(), Base64.getEncoder().encodeToString(der));
            }
        }
        throw new IllegalArgumentException(pem.label().isEmpty() && publicFromDer(pem.der()).isPresent()
                ? "is a public key, not the app's private key"
                : "is not an RSA private key (PKCS#8 or PKCS#1)");
    }

    /**
     * Reads a public key given as PEM {@code PUBLIC KEY} or bare base64 X.509 SubjectPublicKeyInfo.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the key
     */
    static Normalized<RSAPublicKey> readPublic(String text) {
        Pem pem = Pem.read(text);
        if (!pem.label().isEmpty() && !pem.label().equals("PUBLIC KEY")) {
            throw new IllegalArgumentException(pem.label().contains("PRIVATE")
                    ? "is a private key; it must be Alipay's public key"
                    : "is a PEM \"" + pem.label() + "\", not a PUBLIC KEY");
        }
        RSAPublicKey key = publicFromDer(pem.der()).orElseThrow(() -> new IllegalArgumentException(
                pem.label().isEmpty() && privateFromDer(pem.der()).isPresent()
                        ? "is a private key; it must be Alipay's public key"
                        : "is not an RSA public key (X.509 SubjectPublicKeyInfo)"));
        requireBits(key.getModulus().bitLength());
        return new Normalized<>(key, Base64.getEncoder().encodeToString(pem.der()));
    }

    /** The stored (normalized) private key, parsed once. */
    RSAPrivateCrtKey privateKey(String base64) {
        return privateKeys.get(base64, k -> privateFromDer(decode(k))
                .orElseThrow(() -> new IllegalArgumentException("the stored privateKey is not an RSA private key")));
    }

    /** The stored (normalized) public key, parsed once. */
    RSAPublicKey publicKey(String base64) {
        return publicKeys.get(base64, k -> publicFromDer(decode(k))
                .orElseThrow(() -> new IllegalArgumentException("the stored alipayPublicKey is not an RSA public key")));
    }

    /** Whether {@code publicKey} is the public half of {@code privateKey}. */
    static boolean samePair(RSAPrivateCrtKey privateKey, PublicKey publicKey) {
        return publicKey instanceof RSAPublicKey rsa && rsa.getModulus().equals(privateKey.getModulus());
    }

    private static void requireBits(int bits) {
        if (bits < MIN_BITS) {
            throw new IllegalArgumentException("is an RSA key of " + bits + " bits; at least " + MIN_BITS + " are required");
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the stored key is not base64");
        }
    }

    private static Optional<RSAPrivateCrtKey> privateFromDer(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der)) instanceof RSAPrivateCrtKey k
                    ? Optional.of(k) : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<RSAPublicKey> publicFromDer(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)) instanceof RSAPublicKey k
                    ? Optional.of(k) : Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * PKCS#1 RSAPrivateKey wrapped as PKCS#8 PrivateKeyInfo (version 0, rsaEncryption, the key as an
     * OCTET STRING): the JDK's KeyFactory reads only the latter.
     */
    static byte[] pkcs8(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.write(0x30);
        info.writeBytes(derLength(body.size()));
        info.writeBytes(body.toByteArray());
        return info.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        int bytes = length > 0xffffff ? 4 : length > 0xffff ? 3 : length > 0xff ? 2 : 1;
        byte[] out = new byte[bytes + 1];
        out[0] = (byte) (0x80 | bytes);
        for (int i = bytes; i > 0; i--) {
            out[i] = (byte) length;
            length >>>= 8;
        }
        return out;
    }
}
