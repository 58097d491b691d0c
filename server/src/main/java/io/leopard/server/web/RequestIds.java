package io.leopard.server.web;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids for logs and the {@code X-Request-Id} header: a caller's id when it is short and
 * plain (so a merchant can quote its own), else a process prefix and a counter (cheap, unique).
 */
public final class RequestIds {
    private final String prefix = HexFormat.of().formatHex(randomBytes());
    private final AtomicLong counter = new AtomicLong();

    private static byte[] randomBytes() {
        byte[] b = new byte[4];
        new SecureRandom().nextBytes(b);
        return b;
    }

    public String next(String offered) {
        if (offered != null && isPlain(offered)) {
            return offered;
        }
        return prefix + "-" + Long.toHexString(counter.incrementAndGet());
    }

    private static boolean isPlain(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }
}
