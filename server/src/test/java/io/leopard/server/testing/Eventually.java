package io.leopard.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for something another thread or process does (a reconnect, a message): polls until it holds
 * or a generous deadline passes. The deadline bounds a broken test; it is no timing assertion.
 */
public final class Eventually {
    private Eventually() {
    }

    /** Returns once {@code condition} holds; throws naming {@code what} when it does not within {@code within}. */
    public static void holds(String what, Duration within, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + within.toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
