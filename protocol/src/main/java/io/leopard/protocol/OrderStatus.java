package io.leopard.protocol;

/**
 * The {@code status} of single and batch answers (PROTOCOL.md 5.1). A value this version does not
 * know is kept as it came, so a client built today still reads tomorrow's answers.
 */
public final class OrderStatus extends WireValue {
    private static final long serialVersionUID = 1L;

    public static final OrderStatus INITIAL = new OrderStatus("0", true);
    public static final OrderStatus SUCCESS = new OrderStatus("1", true);
    public static final OrderStatus FAILED = new OrderStatus("2", true);
    public static final OrderStatus CLOSED = new OrderStatus("3", true);
    /** Batch only: no transaction information could be obtained for the order number. */
    public static final OrderStatus NO_INFORMATION = new OrderStatus("6", true);

    private static final OrderStatus[] KNOWN = {INITIAL, SUCCESS, FAILED, CLOSED, NO_INFORMATION};

    private OrderStatus(String value, boolean known) {
        super(value, known);
    }

    /** The status written as {@code value}; never {@code null} for a non-null value. */
    public static OrderStatus of(String value) {
        for (OrderStatus s : KNOWN) {
            if (s.value().equals(value)) {
                return s;
            }
        }
        return new OrderStatus(requireValue(value), false);
    }
}
