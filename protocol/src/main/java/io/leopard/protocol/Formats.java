package io.leopard.protocol;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

/** How amounts and times are written on the wire and read from import files. */
public final class Formats {
    /** {@code yyyyMMddHHmmss}, strict: no 30 February, no 24 o'clock. */
    public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss")
            .withResolverStyle(ResolverStyle.STRICT);

    /** The platform's default zone for times on the wire. */
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    /** Yuan with at most two decimals, at most 16 integer digits (DECIMAL(18,2)), no sign. */
    private static final Pattern AMOUNT = Pattern.compile("[0-9]{1,16}(\\.[0-9]{1,2})?");
    private static final Pattern TIME_TEXT = Pattern.compile("[0-9]{14}");

    private Formats() {
    }

    /** An amount as the wire writes it: exactly two decimals, never exponent notation. */
    public static String amount(BigDecimal amount) {
        return amount.setScale(2, BigDecimal.ROUND_UNNECESSARY).toPlainString();
    }

    /** Parses a non-negative amount with at most two decimals; {@code null} when it is not one. */
    public static BigDecimal parseAmount(String text) {
        if (text == null || !AMOUNT.matcher(text).matches()) {
            return null;
        }
        return new BigDecimal(text).setScale(2, BigDecimal.ROUND_UNNECESSARY);
    }

    /** A time as the wire writes it, in {@code zone}. */
    public static String time(Instant instant, ZoneId zone) {
        return TIME.format(LocalDateTime.ofInstant(instant, zone));
    }

    /** Parses {@code yyyyMMddHHmmss} in {@code zone}; {@code null} when it is not a real time. */
    public static Instant parseTime(String text, ZoneId zone) {
        if (text == null || !TIME_TEXT.matcher(text).matches()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text, TIME).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }
}
