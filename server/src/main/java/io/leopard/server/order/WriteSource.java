package io.leopard.server.order;

/** Who wrote a change, as the order's change log records it. */
public enum WriteSource {
    /** The internal API (PUT or batch). */
    API,
    /** An order event from the message broker. */
    EVENT,
    /** {@code leopard order import}. */
    IMPORT
}
