package io.leopard.server.access;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code perSecond}; a request takes
 * one. Time comes from the caller (nanoseconds, monotonic) so tests need no sleeping.
 */
public final class TokenBucket {
    private final int perSecond;
    private final int burst;
    private double tokens;
    private long last;

    public TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.last = nowNanos;
    }

    /** Takes a token if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether this bucket was made for these limits (a changed limit gets a new bucket). */
    public boolean hasLimits(int perSecond, int burst) {
        return this.perSecond == perSecond && this.burst == burst;
    }

    private void refill(long now) {
        long elapsed = now - last;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * (perSecond / 1_000_000_000.0));
            last = now;
        }
    }
}
