package io.leopard.protocol;

/**
 * The {@code payStatus} of card-present answers (PROTOCOL.md 5.2). Unknown values are kept.
 */
public final class PayStatus extends WireValue {
    private static final long serialVersionUID = 1L;

    public static final PayStatus PAID = new PayStatus("1", true);
    /** Failed, or closed unpaid. */
    public static final PayStatus FAILED = new PayStatus("2", true);
    /** Pending: query again (see the polling rule). */
    public static final PayStatus PENDING = new PayStatus("5", true);
    public static final PayStatus REVOKED = new PayStatus("10", true);

    private static final PayStatus[] KNOWN = {PAID, FAILED, PENDING, REVOKED};

    private PayStatus(String value, boolean known) {
        super(value, known);
    }

    public static PayStatus of(String value) {
        for (PayStatus s : KNOWN) {
            if (s.value().equals(value)) {
                return s;
            }
        }
        return new PayStatus(requireValue(value), false);
    }

    /** Whether the payment reached an end: anything but pending (and unknown values) is final. */
    public boolean isFinal() {
        return this == PAID || this == FAILED || this == REVOKED;
    }
}
