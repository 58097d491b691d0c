package io.leopard.protocol;

/**
 * The four signature algorithms of PROTOCOL.md section 3. The wire name is matched
 * case-insensitively; the request's own spelling is what the server echoes back.
 */
public enum SignType {
    MD5("MD5", "MD5", 32),
    SHA1("SHA1", "SHA-1", 40),
    SHA256("SHA256", "SHA-256", 64),
    /** HMAC-SHA256 keyed with the merchant key, over stringA + "&" + key (not over stringA alone). */
    HMAC_SHA256("HMAC-SHA256", "HmacSHA256", 64);

    private final String wireName;
    private final String jcaName;
    private final int hexLength;

    SignType(String wireName, String jcaName, int hexLength) {
        this.wireName = wireName;
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /** The canonical spelling, e.g. {@code HMAC-SHA256}. */
    public String wireName() {
        return wireName;
    }

    String jcaName() {
        return jcaName;
    }

    /** Length of the uppercase hex digest: 32 for MD5, 40 for SHA1, 64 otherwise. */
    public int hexLength() {
        return hexLength;
    }

    boolean isHmac() {
        return this == HMAC_SHA256;
    }

    /**
     * The sign type named by {@code value}, ignoring case; {@code null} when it names none
     * (the caller answers {@code SIGN_TYPE_UNSUPPORTED}).
     */
    public static SignType fromWire(String value) {
        if (value == null) {
            return null;
        }
        for (SignType type : values()) {
            if (asciiEqualsIgnoreCase(type.wireName, value)) {
                return type;
            }
        }
        return null;
    }

    /**
     * Case-insensitive for ASCII letters only: {@code String.toUpperCase} and
     * {@code equalsIgnoreCase} also fold non-ASCII letters ({@code "\u017fha1"}, long s, would read as SHA1).
     */
    private static boolean asciiEqualsIgnoreCase(String ascii, String value) {
        if (ascii.length() != value.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            char a = ascii.charAt(i);
            char b = value.charAt(i);
            if (b >= 'a' && b <= 'z') {
                b = (char) (b - 'a' + 'A');
            }
            if (a != b) {
                return false;
            }
        }
        return true;
    }
}
