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

    /**
     * A time as the wire writes it, in {@code zone}. Written digit by digit for years 0 to 9999
     * (every answer carries one or two times per order, and the formatter cost more than the rest of
     * the order); {@link #TIME} writes any other year.
     */
    public static String time(Instant instant, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, zone);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return TIME.format(t);
        }
        char[] out = new char[14];
        digits(out, 0, year, 4);
        digits(out, 4, t.getMonthValue(), 2);
        digits(out, 6, t.getDayOfMonth(), 2);
        digits(out, 8, t.getHour(), 2);
        digits(out, 10, t.getMinute(), 2);
        digits(out, 12, t.getSecond(), 2);
        return new String(out);
    }

    private static void digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
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
