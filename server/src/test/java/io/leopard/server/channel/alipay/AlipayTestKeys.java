package io.leopard.server.channel.alipay;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/** RSA key pairs made once per test run (2048 bits take a while), and their pasted forms. */
final class AlipayTestKeys {
    /** The merchant's app: signs requests. */
    static final KeyPair APP = rsa(2048);
    /** Alipay: signs answers. */
    static final KeyPair ALIPAY = rsa(2048);
    /** Someone else: signs what Alipay did not. */
    static final KeyPair OTHER = rsa(2048);

    private AlipayTestKeys() {
    }

    static KeyPair rsa(int bits) {
        return pair("RSA", bits);
    }

    static KeyPair pair(String algorithm, int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

    /** PEM as OpenSSL writes it: 64 columns, {@code \n}. */
    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static String privatePem(KeyPair pair) {
        return pem("PRIVATE KEY", pair.getPrivate().getEncoded());
    }

    static String publicPem(KeyPair pair) {
        return pem("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    /** The PKCS#1 RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: the content of its OCTET STRING. */
    static byte[] pkcs1(byte[] pkcs8) {
        int at = skipHeader(pkcs8, 0);          // into the outer SEQUENCE
        at = skipWhole(pkcs8, at);              // INTEGER version
        at = skipWhole(pkcs8, at);              // SEQUENCE algorithm
        int content = skipHeader(pkcs8, at);    // OCTET STRING
        return java.util.Arrays.copyOfRange(pkcs8, content, pkcs8.length);
    }

    private static int skipHeader(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        return at + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int skipWhole(byte[] der, int at) {
        int first = der[at + 1] & 0xff;
        int length = first;
        int header = 2;
        if (first >= 0x80) {
            length = 0;
            for (int i = 0; i < (first & 0x7f); i++) {
                length = (length << 8) | (der[at + 2 + i] & 0xff);
            }
            header += first & 0x7f;
        }
        return at + header + length;
    }
}
