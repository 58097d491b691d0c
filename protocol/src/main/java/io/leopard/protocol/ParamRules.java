package io.leopard.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parameter rules of PROTOCOL.md sections 1 and 2, written once for the server (to reject)
 * and the SDK (to fail fast before sending). "Letters" and "digits" are ASCII only.
 */
public final class ParamRules {
    public static final int MID_LENGTH = 15;
    public static final int MAX_ORDER_NO_LENGTH = 32;
    public static final int MAX_NOISE_LENGTH = 32;
    public static final int MAX_SIGN_LENGTH = 128;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_PARAMS = 64;
    /** The default largest number of distinct order numbers in one batch. */
    public static final int DEFAULT_MAX_BATCH = 50;
    public static final char ORDER_NO_SEPARATOR = ',';
    /** The event feed's page size: at most 100 events, 50 when {@code limit} is not sent. */
    public static final int MAX_EVENTS_LIMIT = 100;
    public static final int DEFAULT_EVENTS_LIMIT = 50;
    /** The cursor before every event: what {@code next} is when a merchant has none yet. */
    public static final String FIRST_CURSOR = "c0";

    private ParamRules() {
    }

    /** Exactly 15 ASCII digits. */
    public static boolean isMid(String s) {
        if (s == null || s.length() != MID_LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** 1 to 32 of letters, digits, {@code _ - | *}. */
    public static boolean isOrderNo(String s) {
        return matches(s, MAX_ORDER_NO_LENGTH, "_-|*");
    }

    /** 1 to 32 of letters, digits, {@code _ -}. */
    public static boolean isNoise(String s) {
        return matches(s, MAX_NOISE_LENGTH, "_-");
    }

    /** 1 to 64 of letters, digits, {@code _ - . [ ]}. */
    public static boolean isParamName(String s) {
        return matches(s, MAX_NAME_LENGTH, "_-.[]");
    }

    /** Whether {@code s} holds U+0000 to U+001F or U+007F. */
    public static boolean hasControlChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /**
     * Checks the generic rules every request obeys: at most 64 parameters, well-formed names,
     * no control characters in values.
     */
    public static void checkParams(Map<String, String> params) throws ProtocolException {
        if (params.size() > MAX_PARAMS) {
            throw new ProtocolException(ErrorCode.PARAM_ERROR,
                    ErrorCode.PARAM_ERROR.message() + ": more than " + MAX_PARAMS + " parameters");
        }
        for (Map.Entry<String, String> e : params.entrySet()) {
            checkName(e.getKey());
            if (hasControlChar(e.getValue())) {
                throw ProtocolException.param(e.getKey(), "contains a control character");
            }
        }
    }

    /** Rejects a parameter name outside the allowed alphabet or length; the message quotes it safely. */
    public static void checkName(String name) throws ProtocolException {
        if (!isParamName(name)) {
            throw new ProtocolException(ErrorCode.PARAM_ERROR, ErrorCode.PARAM_ERROR.message()
                    + ": parameter name \"" + printable(name) + "\" must be 1-64 of A-Z a-z 0-9 _ - . [ ]");
        }
    }

    /**
     * Splits a batch's {@code orderNo} into distinct order numbers in request order. Nothing is
     * trimmed; an empty or malformed item, or more than {@code maxDistinct} distinct numbers, is a
     * {@code PARAM_ERROR}.
     */
    public static List<String> splitOrderNos(String list, int maxDistinct) throws ProtocolException {
        Set<String> distinct = new LinkedHashSet<String>();
        int start = 0;
        while (true) {
            int comma = list.indexOf(ORDER_NO_SEPARATOR, start);
            String item = comma < 0 ? list.substring(start) : list.substring(start, comma);
            if (!isOrderNo(item)) {
                throw ProtocolException.param(Fields.ORDER_NO, item.isEmpty()
                        ? "has an empty item"
                        : "item \"" + printable(item) + "\" must be 1-32 of letters, digits, _ - | *");
            }
            distinct.add(item);
            if (distinct.size() > maxDistinct) {
                throw ProtocolException.param(Fields.ORDER_NO, "holds more than " + maxDistinct + " distinct order numbers");
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        return Collections.unmodifiableList(new ArrayList<String>(distinct));
    }

    /**
     * The position an event feed cursor stands for. A cursor is {@code c} and a position in
     * decimal, without sign or leading zeros ({@code c0}, {@code c1234}); anything else, or a
     * position beyond a long, is a {@code PARAM_ERROR}: a cursor is only ever one the feed gave.
     */
    public static long parseCursor(String cursor) throws ProtocolException {
        String digits = cursor.length() > 1 && cursor.charAt(0) == 'c' ? cursor.substring(1) : "";
        if (!isCanonicalNumber(digits, 19)) {
            throw ProtocolException.param(Fields.AFTER, "must be a cursor the feed answered (next)");
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw ProtocolException.param(Fields.AFTER, "must be a cursor the feed answered (next)");
        }
    }

    /** The cursor of {@code position} (not negative): the inverse of {@link #parseCursor}. */
    public static String cursor(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position < 0: " + position);
        }
        return "c" + position;
    }

    /** An event feed {@code limit}: 1 to 100 in decimal, without sign or leading zeros. */
    public static int parseEventsLimit(String limit) throws ProtocolException {
        if (!isCanonicalNumber(limit, 3)) {
            throw ProtocolException.param(Fields.LIMIT, "must be a whole number from 1 to " + MAX_EVENTS_LIMIT);
        }
        int n = Integer.parseInt(limit);
        if (n < 1 || n > MAX_EVENTS_LIMIT) {
            throw ProtocolException.param(Fields.LIMIT, "must be a whole number from 1 to " + MAX_EVENTS_LIMIT);
        }
        return n;
    }

    /** 1 to {@code maxDigits} ASCII digits, no leading zero unless the number is 0. */
    private static boolean isCanonicalNumber(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** A short, printable rendering of untrusted text for error messages. */
    public static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 40; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7F || c == '"' || c == '\\' ? '?' : c);
        }
        if (s.length() > 40) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean matches(String s, int maxLength, String extra) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLetter(c) && !isDigit(c) && extra.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }
}
