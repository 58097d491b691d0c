package io.leopard.server.order;

import io.leopard.protocol.OrderState;

/**
 * A row of an import file that would have moved its order back (SUCCESS to INIT, say) and was
 * skipped: the state machine of PROTOCOL.md 6 never moves an order back.
 *
 * @param line the row's line in the file (the CSV header is line 1)
 * @param from the state stored when the row was read
 * @param to   the state the row asked for
 */
public record BackwardsMove(long line, String mid, String orderNo, OrderState from, OrderState to) {

    /** Which rule of the state machine forbids the move. */
    public String rule() {
        return to == OrderState.INIT ? "an order never returns to INIT" : "nothing leaves " + from;
    }

    /** {@code line 4: M1 SUCCESS → INIT skipped (state machine: an order never returns to INIT)} */
    @Override
    public String toString() {
        return "line " + line + ": " + orderNo + " " + from + " \u2192 " + to + " skipped (state machine: " + rule() + ")";
    }
}
