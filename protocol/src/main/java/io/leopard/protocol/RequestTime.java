package io.leopard.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The request's {@code timestamp} of replay protection (PROTOCOL.md 4.3): written by the client,
 * read and judged by the server, with one definition of its format and of "within the window".
 */
public final class RequestTime {
    private RequestTime() {
    }

    /** {@code now} as a request's {@code timestamp}: {@code yyyyMMddHHmmss} in the platform zone {@code zone}. */
    public static String format(Instant now, ZoneId zone) {
        return Formats.time(now, zone);
    }

    /** A {@code timestamp} as sent; {@code null} when it is not 14 digits naming a real time in {@code zone}. */
    public static Instant parse(String text, ZoneId zone) {
        return Formats.parseTime(text, zone);
    }

    /**
     * Whether {@code sent} is at most {@code window} before or after {@code now}. A timestamp has
     * whole seconds, so {@code now} is cut to the second first: a request stamped the second it was
     * made is never judged by the fraction of a second the stamp left out.
     */
    public static boolean isWithin(Instant sent, Instant now, Duration window) {
        Instant second = now.truncatedTo(ChronoUnit.SECONDS);
        return !sent.isBefore(second.minus(window)) && !sent.isAfter(second.plus(window));
    }
}
