package io.leopard.protocol;

/**
 * An order's state inside the platform and the moves allowed between states (PROTOCOL.md 6):
 * INIT to any other; SUCCESS to REVOKED for card-present orders only; FAILED to CLOSED. Nothing
 * leaves CLOSED or REVOKED and nothing returns to INIT.
 */
public enum OrderState {
    INIT(OrderStatus.INITIAL, PayStatus.PENDING),
    SUCCESS(OrderStatus.SUCCESS, PayStatus.PAID),
    FAILED(OrderStatus.FAILED, PayStatus.FAILED),
    CLOSED(OrderStatus.CLOSED, PayStatus.FAILED),
    REVOKED(OrderStatus.CLOSED, PayStatus.REVOKED);

    private final OrderStatus status;
    private final PayStatus payStatus;

    OrderState(OrderStatus status, PayStatus payStatus) {
        this.status = status;
        this.payStatus = payStatus;
    }

    /** The {@code status} of single and batch answers. */
    public OrderStatus status() {
        return status;
    }

    /** The {@code payStatus} of card-present answers. */
    public PayStatus payStatus() {
        return payStatus;
    }

    /**
     * Whether an order may move from this state to {@code next}. Staying in the same state is
     * allowed (it is not a move), so that writing the same order twice is harmless.
     */
    public boolean canMoveTo(OrderState next, boolean cardPresent) {
        if (next == this) {
            return true;
        }
        switch (this) {
            case INIT:
                return true;
            case SUCCESS:
                return next == REVOKED && cardPresent;
            case FAILED:
                return next == CLOSED;
            default:
                return false;
        }
    }

    /** Whether single and batch answers carry {@code payTime}: only for status 1 or 2. */
    public boolean showsPayTimeInQuery() {
        return status == OrderStatus.SUCCESS || status == OrderStatus.FAILED;
    }

    /** Whether card-present answers carry {@code payTime}: for payStatus 1, 2 and 10. */
    public boolean showsPayTimeInBrushcard() {
        return payStatus != PayStatus.PENDING;
    }

    /** The state named {@code name} exactly (upper case), or {@code null}. */
    public static OrderState fromName(String name) {
        for (OrderState s : values()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
