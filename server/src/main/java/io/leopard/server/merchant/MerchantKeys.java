package io.leopard.server.merchant;

import java.security.SecureRandom;

/** Merchant signing keys: generating them and the shape a chosen one must have. */
public final class MerchantKeys {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MerchantKeys() {
    }

    /** A new key: 20 random lowercase letters and digits, like the published example key. */
    public static String generate() {
        StringBuilder sb = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    /**
     * Whether {@code key} may be a merchant key: 8 to 64 printable ASCII characters. The space is
     * left out: it is easily lost when a key is pasted into a config or a shell, and the signature
     * appends the key raw.
     */
    public static boolean isValid(String key) {
        if (key == null || key.length() < 8 || key.length() > 64) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
