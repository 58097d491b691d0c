package io.leopard.server.config;

import io.leopard.server.access.CidrRange;
import io.leopard.server.problem.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * How the text of a key becomes its value, and what is said when it cannot: every message names the
 * key. The types are the few {@link Key} uses.
 *
 * @param <T> the value's type
 */
abstract class Type<T> {
    private final String shape;

    private Type(String shape) {
        this.shape = shape;
    }

    /** What a value looks like, e.g. {@code whole number 1..1000}: for a table of the keys. */
    final String shape() {
        return shape;
    }

    /** The value {@code text} gives {@code key}; a {@link ConfigException} naming the key when it is bad. */
    abstract T parse(String key, String text);

    /** Any text, {@code null} included (a key without default that is not set). */
    static Type<String> text() {
        return new Type<>("text") {
            @Override
            String parse(String key, String text) {
                return text;
            }
        };
    }

    /** A whole number between {@code min} and {@code max}, both included. */
    static Type<Integer> wholeNumber(int min, int max) {
        return new Type<>("whole number " + min + ".." + max) {
            @Override
            Integer parse(String key, String text) {
                return Type.wholeNumber(key, text, min, max);
            }
        };
    }

    /** Like {@link #wholeNumber}, or empty for "decided by another key" ({@code null}). */
    static Type<Integer> wholeNumberOrEmpty(int min, int max) {
        return new Type<>("whole number " + min + ".." + max + ", or empty") {
            @Override
            Integer parse(String key, String text) {
                return text == null || text.isEmpty() ? null : Type.wholeNumber(key, text, min, max);
            }
        };
    }

    private static int wholeNumber(String key, String text, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number; got \"" + text + "\"");
        }
        if (n < min || n > max) {
            throw new ConfigException(key + " must be between " + min + " and " + max + "; got " + n);
        }
        return n;
    }

    /** A positive duration such as {@code 500ms}, {@code 3s}, {@code 2m} or {@code 24h}. */
    static Type<Duration> positiveDuration() {
        return new Type<>("positive duration") {
            @Override
            Duration parse(String key, String text) {
                Duration d = Durations.parse(text);
                if (d == null || d.isZero()) {
                    throw new ConfigException(key + " must be a positive duration such as 500ms, 3s, 2m or 24h; got \"" + text + "\"");
                }
                return d;
            }
        };
    }

    /** A duration that may be zero, such as {@code 0s} or {@code 500ms}. */
    static Type<Duration> durationOrZero() {
        return new Type<>("duration, zero allowed") {
            @Override
            Duration parse(String key, String text) {
                Duration d = Durations.parse(text);
                if (d == null) {
                    throw new ConfigException(key + " must be a duration such as 0s, 500ms, 3s or 2m; got \"" + text + "\"");
                }
                return d;
            }
        };
    }

    /** {@code true} or {@code false}, in any case; nothing else. */
    static Type<Boolean> trueOrFalse() {
        return new Type<>("true or false") {
            @Override
            Boolean parse(String key, String text) {
                if (!"true".equalsIgnoreCase(text) && !"false".equalsIgnoreCase(text)) {
                    throw new ConfigException(key + " must be true or false; got \"" + text + "\"");
                }
                return Boolean.parseBoolean(text);
            }
        };
    }

    /** A time zone id such as {@code Asia/Shanghai}. */
    static Type<ZoneId> zone() {
        return new Type<>("time zone id") {
            @Override
            ZoneId parse(String key, String text) {
                try {
                    if (text != null) {
                        return ZoneId.of(text);
                    }
                } catch (DateTimeException e) {
                    // refused below
                }
                throw new ConfigException(key + " must be a time zone id such as Asia/Shanghai; got \"" + text + "\"");
            }
        };
    }

    /** A file or directory; empty is the working directory, as {@code Path.of("")} has it. */
    static Type<Path> path() {
        return new Type<>("path") {
            @Override
            Path parse(String key, String text) {
                return Type.path(key, text == null ? "" : text);
            }
        };
    }

    /** A file, or empty or unset for none ({@code null}: the key's owner decides what that means). */
    static Type<Path> pathOrEmpty() {
        return new Type<>("path, or empty") {
            @Override
            Path parse(String key, String text) {
                return text == null || text.isEmpty() ? null : Type.path(key, text);
            }
        };
    }

    private static Path path(String key, String text) {
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw new ConfigException(key + " must be a path; got \"" + text + "\": " + e.getReason());
        }
    }

    /** Comma-separated positive durations such as {@code 15s,30s,3m}; 1 to 50 of them. */
    static Type<List<Duration>> durationList() {
        return new Type<>("comma-separated positive durations") {
            @Override
            List<Duration> parse(String key, String text) {
                String[] parts = text == null ? new String[0] : text.split(",", -1);
                if (text == null || text.isBlank() || parts.length > 50) {
                    throw new ConfigException(key + " must be 1 to 50 comma-separated durations such as 15s,30s,3m; got \"" + text + "\"");
                }
                List<Duration> out = new java.util.ArrayList<>();
                for (String part : parts) {
                    Duration d = Durations.parse(part.trim());
                    if (d == null || d.isZero()) {
                        throw new ConfigException(key + " must be comma-separated positive durations such as 15s,30s,3m; \""
                                + part.trim() + "\" is not one");
                    }
                    out.add(d);
                }
                return List.copyOf(out);
            }
        };
    }

    /** Comma-separated CIDR ranges such as {@code 10.0.0.0/8, ::1}; empty for none. */
    static Type<List<CidrRange>> cidrList() {
        return new Type<>("comma-separated CIDRs") {
            @Override
            List<CidrRange> parse(String key, String text) {
                try {
                    return CidrRange.parseList(text);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(key + ": " + e.getMessage());
                }
            }
        };
    }

    /** What one bearer token may hold: the token68 characters of RFC 6750, 16 to 512 of them. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9._~+/=-]{16,512}");

    /**
     * Comma-separated bearer tokens; empty for none. A bad one is named by its position only: the
     * error must not show a secret.
     */
    static Type<List<String>> tokenList() {
        return new Type<>("comma-separated tokens of 16-512 letters, digits and . _ ~ + / = -") {
            @Override
            List<String> parse(String key, String text) {
                if (text == null || text.isBlank()) {
                    return List.of();
                }
                List<String> tokens = new java.util.ArrayList<>();
                String[] parts = text.split(",", -1);
                for (int i = 0; i < parts.length; i++) {
                    String t = parts[i].trim();
                    if (!TOKEN.matcher(t).matches()) {
                        throw new ConfigException(key + ": token " + (i + 1) + " of " + parts.length + " must be 16 to 512 "
                                + "letters, digits or . _ ~ + / = - (its value is not shown)");
                    }
                    tokens.add(t);
                }
                return List.copyOf(tokens);
            }
        };
    }

    /** A literal path prefix: segments of letters, digits and {@code - _ ~ .}, none of them {@code .} or {@code ..}. */
    private static final java.util.regex.Pattern PREFIX =
            java.util.regex.Pattern.compile("(/(?!\\.{1,2}(/|$))[A-Za-z0-9._~-]+)+");

    /** Empty, or a literal path such as {@code /v2}: starts with {@code /}, does not end with one, no {@code //}. */
    static Type<String> pathPrefix() {
        return new Type<>("empty or /segment[/segment...]") {
            @Override
            String parse(String key, String prefix) {
                String p = prefix == null ? "" : prefix;
                if (!p.isEmpty() && (!p.startsWith("/") || p.endsWith("/") || p.contains("//"))) {
                    throw new ConfigException(key + " must be empty or start with / and not end with /, e.g. /v2; got \"" + prefix + "\"");
                }
                // the prefix is a literal path, served as written: no route-pattern characters
                // (* { } [ ]), escapes, parameters or dot segments, which would match other paths or none
                if (!p.isEmpty() && !PREFIX.matcher(p).matches()) {
                    throw new ConfigException(key + " may hold only letters, digits and - _ ~ . in each /segment "
                            + "(no . or .. segment), e.g. /v2 or /api/v2; got \"" + prefix + "\"");
                }
                return p;
            }
        };
    }
}
