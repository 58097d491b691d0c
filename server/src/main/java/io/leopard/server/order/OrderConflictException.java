package io.leopard.server.order;

/**
 * A write was refused: the order would break the state machine (PROTOCOL.md 6), change a field
 * that never changes, or clash with another order's flowNo or order number. Nothing of the write
 * was kept. {@link #index()} is the position of the offending order in the list written.
 */
public final class OrderConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int index;

    public OrderConflictException(int index, String reason) {
        super(reason);
        this.index = index;
    }

    /** The 0-based position of the refused order in the written list. */
    public int index() {
        return index;
    }
}
