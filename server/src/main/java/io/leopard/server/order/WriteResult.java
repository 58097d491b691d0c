package io.leopard.server.order;

/**
 * The result of one order write.
 *
 * @param outcome what happened
 * @param field   the field at fault for {@link WriteOutcome#INVALID} and {@link WriteOutcome#CONFLICT}
 *                ({@code state} for a move), else {@code null}
 * @param reason  why, in one line, for anything but created, changed and unchanged; else {@code null}
 * @param stored  the order as stored after the write; {@code null} for invalid and unknown-merchant writes
 */
public record WriteResult(WriteOutcome outcome, String field, String reason, StoredOrder stored) {
    static WriteResult invalid(String field, String reason) {
        return new WriteResult(WriteOutcome.INVALID, field, reason, null);
    }
}
