package io.leopard.server.config;

import java.time.Duration;

/** Durations as written in the configuration and on the command line: {@code 500ms}, {@code 3s}, {@code 2m}, {@code 24h}, {@code 30d}. */
public final class Durations {
    private Durations() {
    }

    /** The duration {@code text} names, zero included; {@code null} when it is not one. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            Duration d;
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(text.substring(0, text.length() - 1)));
            } else if (text.endsWith("d")) {
                d = Duration.ofDays(Long.parseLong(text.substring(0, text.length() - 1)));
            } else {
                return null;
            }
            return d.isNegative() ? null : d;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
