package io.leopard.server.access;

import java.time.Duration;

/**
 * Remembers the request noises a merchant has used, for the merchant's replay window, so that a
 * captured request cannot be answered twice. One node keeps them in memory; a cluster in Redis.
 */
public interface NoiseLedger {
    /**
     * Records {@code noise} for {@code mid} for {@code window}: {@code true} when it was not
     * already recorded inside the window (a new request), {@code false} when it was (a replay).
     */
    boolean firstUse(String mid, String noise, Duration window);
}
