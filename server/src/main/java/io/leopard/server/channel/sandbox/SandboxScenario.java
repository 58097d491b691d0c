package io.leopard.server.channel.sandbox;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the sandbox does with an order, chosen by the last {@code -}-separated part of its order
 * number (case-insensitive), or else by the merchant's {@code scenario} setting, or else
 * {@link Kind#PENDING}:
 *
 * <table>
 *   <tr><td>{@code -paid}</td><td>paid at the first query</td></tr>
 *   <tr><td>{@code -paid12s}</td><td>paid once 12 s have passed since the order's time</td></tr>
 *   <tr><td>{@code -paid3q}</td><td>paid at the 3rd query (counted per order by this node)</td></tr>
 *   <tr><td>{@code -fail}</td><td>the payment failed</td></tr>
 *   <tr><td>{@code -closed}</td><td>closed at the channel</td></tr>
 *   <tr><td>{@code -revoked}</td><td>reversed at the channel (card-present)</td></tr>
 *   <tr><td>{@code -unknown}</td><td>the channel has no such order</td></tr>
 *   <tr><td>{@code -timeout}</td><td>no answer within the timeout</td></tr>
 *   <tr><td>{@code -garbage}</td><td>an answer that cannot be parsed</td></tr>
 *   <tr><td>{@code -badsign}</td><td>an answer with a wrong signature</td></tr>
 *   <tr><td>{@code -mismatch}</td><td>paid, but for another amount</td></tr>
 * </table>
 *
 * @param count seconds for {@code PAID_AFTER_SECONDS}, queries for {@code PAID_AFTER_QUERIES}
 */
public record SandboxScenario(Kind kind, int count) {

    public enum Kind {
        PENDING, PAID_AFTER_SECONDS, PAID_AFTER_QUERIES, FAIL, CLOSED, REVOKED, UNKNOWN, TIMEOUT, GARBAGE, BADSIGN, MISMATCH
    }

    private static final Pattern PAID = Pattern.compile("paid(?:(\\d{1,5})([sq]))?");

    /** The scenario {@code text} names, {@code null} when it names none. */
    public static SandboxScenario parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.toLowerCase(Locale.ROOT);
        Matcher m = PAID.matcher(t);
        if (m.matches()) {
            if (m.group(1) == null) {
                return new SandboxScenario(Kind.PAID_AFTER_QUERIES, 1);
            }
            int n = Integer.parseInt(m.group(1));
            return new SandboxScenario("s".equals(m.group(2)) ? Kind.PAID_AFTER_SECONDS : Kind.PAID_AFTER_QUERIES, n);
        }
        return switch (t) {
            case "pending" -> new SandboxScenario(Kind.PENDING, 0);
            case "fail" -> new SandboxScenario(Kind.FAIL, 0);
            case "closed" -> new SandboxScenario(Kind.CLOSED, 0);
            case "revoked" -> new SandboxScenario(Kind.REVOKED, 0);
            case "unknown" -> new SandboxScenario(Kind.UNKNOWN, 0);
            case "timeout" -> new SandboxScenario(Kind.TIMEOUT, 0);
            case "garbage" -> new SandboxScenario(Kind.GARBAGE, 0);
            case "badsign" -> new SandboxScenario(Kind.BADSIGN, 0);
            case "mismatch" -> new SandboxScenario(Kind.MISMATCH, 0);
            default -> null;
        };
    }

    /** The scenario of an order: its number's suffix, else {@code fallback}, else pending. */
    public static SandboxScenario of(String orderNo, SandboxScenario fallback) {
        int dash = orderNo.lastIndexOf('-');
        SandboxScenario bySuffix = dash < 0 ? null : parse(orderNo.substring(dash + 1));
        if (bySuffix != null) {
            return bySuffix;
        }
        return fallback != null ? fallback : new SandboxScenario(Kind.PENDING, 0);
    }
}
