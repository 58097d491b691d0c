package io.leopard.server.order;

/** Who wrote a change, as the order's change log records it. */
public enum WriteSource {
    /** The internal API (PUT or batch). */
    API,
    /** An order event from the message broker. */
    EVENT,
    /** {@code leopard order import}. */
    IMPORT,
    /** What a payment channel said, asked by channel sync (a query or the background sweeper). */
    SYNC;

    /**
     * Whether a pending order created by this source is synced in the background from now on.
     * Imported orders are not: an import loads history, and pending orders in it are synced only
     * when a merchant asks about them.
     */
    boolean schedulesSync() {
        return this != IMPORT;
    }
}
