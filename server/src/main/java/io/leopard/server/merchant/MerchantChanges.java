package io.leopard.server.merchant;

/**
 * Told of every merchant change the store has committed, so that the other nodes can reload at once
 * instead of at their next {@code merchant-refresh}. It is told the mid only, never a key. Telling
 * must not fail the change: an implementation swallows (and logs) its own failures, since the
 * periodic refresh brings the change anyway.
 */
public interface MerchantChanges {
    /** Tells no one: the nodes see the change at their next refresh. */
    MerchantChanges NONE = mid -> { };

    /** Merchant {@code mid} was added or changed, and the change is committed. */
    void changed(String mid);
}
