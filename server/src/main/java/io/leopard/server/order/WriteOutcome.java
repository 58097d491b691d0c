package io.leopard.server.order;

/** What became of one order write (an API call, a batch item or an event). */
public enum WriteOutcome {
    /** A new order was stored. */
    CREATED,
    /** The stored order moved (state, or a tradeNo or payTime filled in). */
    CHANGED,
    /** The same content again: nothing written. */
    UNCHANGED,
    /**
     * A state the stored order has already moved past (INIT for an order now SUCCESS): an old
     * message that arrived late. Nothing written; the internal API answers it as a conflict, the
     * event consumer acknowledges and counts it.
     */
    LATE,
    /** Refused against what is stored: an illegal move, or a different value for a field that never changes. */
    CONFLICT,
    /** A field is missing or malformed; nothing was looked up. */
    INVALID,
    /** The order's merchant does not exist. */
    UNKNOWN_MERCHANT;

    /** The lower-case name used on the wire ({@code created}, {@code unknown_merchant}, ...). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the write left the order as asked (created, changed or already so). */
    public boolean accepted() {
        return this == CREATED || this == CHANGED || this == UNCHANGED;
    }
}
