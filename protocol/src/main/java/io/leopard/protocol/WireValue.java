package io.leopard.protocol;

import java.io.Serializable;

/**
 * A value from a closed list on the wire that must survive values added later: compared by its
 * text, with {@link #isKnown()} telling whether this version of the protocol defines it.
 */
public abstract class WireValue implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;
    private final boolean known;

    WireValue(String value, boolean known) {
        this.value = value;
        this.known = known;
    }

    static String requireValue(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value == null");
        }
        return value;
    }

    /** The text as written on the wire. */
    public final String value() {
        return value;
    }

    /** Whether this version of the protocol defines the value. */
    public final boolean isKnown() {
        return known;
    }

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && ((WireValue) o).value.equals(value);
    }

    @Override
    public final int hashCode() {
        return value.hashCode();
    }

    @Override
    public final String toString() {
        return value;
    }
}
