package io.leopard.sdk;

import io.leopard.protocol.PayStatus;
import java.time.Duration;

/**
 * How {@link LeopardClient#awaitBrushcard(String)} ended: a final state, or still not paid after the
 * published polling rule, in which case the merchant must revoke the payment.
 */
public final class BrushcardOutcome {

    /** The end of the wait. */
    public enum State {
        PAID,
        FAILED,
        REVOKED,
        /** Still not final after every query of the polling rule: revoke the payment. */
        STILL_PENDING_REVOKE_IT,
        /** Leopard has no card-present order with this number. */
        NOT_FOUND
    }

    private final State state;
    private final BrushcardResult last;
    private final int queries;
    private final Duration waited;

    private BrushcardOutcome(State state, BrushcardResult last, int queries, Duration waited) {
        this.state = state;
        this.last = last;
        this.queries = queries;
        this.waited = waited;
    }

    static BrushcardOutcome of(BrushcardResult last, int queries, Duration waited, boolean finished) {
        State state;
        if (!last.isFound()) {
            state = State.NOT_FOUND;
        } else if (last.payStatus().equals(PayStatus.PAID)) {
            state = State.PAID;
        } else if (last.payStatus().equals(PayStatus.FAILED)) {
            state = State.FAILED;
        } else if (last.payStatus().equals(PayStatus.REVOKED)) {
            state = State.REVOKED;
        } else if (finished) {
            state = State.STILL_PENDING_REVOKE_IT;
        } else {
            throw new IllegalStateException("not a final pay status: " + last.payStatus());
        }
        return new BrushcardOutcome(state, last, queries, waited);
    }

    public State state() {
        return state;
    }

    /** Whether the merchant must now revoke the payment (it is still not paid). */
    public boolean mustRevoke() {
        return state == State.STILL_PENDING_REVOKE_IT;
    }

    /** The last verified answer. */
    public BrushcardResult result() {
        return last;
    }

    /** How many queries were sent. */
    public int queries() {
        return queries;
    }

    /** How long the wait took in all, as measured by the client's clock. */
    public Duration waited() {
        return waited;
    }

    @Override
    public String toString() {
        return "BrushcardOutcome{" + state + " after " + queries + (queries == 1 ? " query, " : " queries, ") + waited + ", " + last + '}';
    }
}
