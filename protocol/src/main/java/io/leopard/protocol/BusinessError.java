package io.leopard.protocol;

/**
 * Business results ({@code code} = {@code SUCCESS}, {@code resultCode} = {@code FAIL}),
 * PROTOCOL.md section 4.2. These answers are signed like any success.
 */
public enum BusinessError {
    /** Single or card-present query: this merchant has no such order (another's is "not exist" too). */
    ORDER_NOT_EXIST("订单不存在");

    private final String description;

    BusinessError(String description) {
        this.description = description;
    }

    /** The {@code errCodeDes} written on the wire. */
    public String description() {
        return description;
    }
}
