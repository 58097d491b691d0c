package io.leopard.server.access;

import java.util.concurrent.atomic.AtomicReference;

/**
 * A token bucket: holds up to {@code burst} tokens, refilled at {@code perSecond}; a request takes
 * one. Time comes from the caller (nanoseconds, monotonic) so tests need no sleeping.
 *
 * <p>Lock-free: every request of a merchant takes from the same bucket, and a {@code synchronized}
 * bucket is a monitor they queue on. On JDK 24 and later a virtual thread that finds a monitor
 * taken is rescheduled by the JDK's unblocker thread into the scheduler's shared queue, which the
 * carriers serve only when their own queues run dry: at saturation that wait reached hundreds of
 * milliseconds (docs/PERFORMANCE.md, "The batch tail"); on JDK 21–23 it pins its carrier instead,
 * which is worse. A compare-and-set never parks anyone.
 */
public final class TokenBucket {
    private final int perSecond;
    private final int burst;
    private final AtomicReference<State> state;

    /** Tokens held as of {@code last}, the latest time seen. */
    private record State(double tokens, long last) {
    }

    public TokenBucket(int perSecond, int burst, long nowNanos) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("perSecond and burst must be at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.state = new AtomicReference<>(new State(burst, nowNanos));
    }

    /** Takes a token if there is one. */
    public boolean tryTake(long nowNanos) {
        while (true) {
            State before = state.get();
            // refilled for the time since the latest time seen; time going backwards adds nothing
            long elapsed = nowNanos - before.last();
            double tokens = elapsed > 0
                    ? Math.min(burst, before.tokens() + elapsed * (perSecond / 1_000_000_000.0)) : before.tokens();
            long last = elapsed > 0 ? nowNanos : before.last();
            boolean taken = tokens >= 1;
            if (!taken && elapsed <= 0) {
                return false; // nothing to take and nothing to store
            }
            if (state.compareAndSet(before, new State(taken ? tokens - 1 : tokens, last))) {
                return taken;
            }
        }
    }

    /** Whether this bucket was made for these limits (a changed limit gets a new bucket). */
    public boolean hasLimits(int perSecond, int burst) {
        return this.perSecond == perSecond && this.burst == burst;
    }
}
