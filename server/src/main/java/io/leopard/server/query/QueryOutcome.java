package io.leopard.server.query;

import io.leopard.protocol.ErrorCode;

/** What the protocol pipeline answers a query: a signed answer, or an unsigned protocol failure. */
public sealed interface QueryOutcome {

    /** The request verified and was answered; the answer is signed with the key it used. */
    record Answered(Answer answer) implements QueryOutcome {
    }

    /** A protocol failure (PROTOCOL §4.1), its message, and the HTTP status the protocol gives it. */
    record Refused(ErrorCode code, String message) implements QueryOutcome {
        public int httpStatus() {
            return code.httpStatus();
        }
    }
}
