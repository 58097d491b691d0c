package io.leopard.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The {@link NoiseLedger} of a single node: the noises in memory, each forgotten when its own
 * window ends. Right only when every request of a merchant reaches this node; a cluster needs a
 * shared ledger (Redis), or a request replayed to another node is answered again.
 *
 * <p>Bounded: beyond {@code maxNoises} the cache forgets noises before their window ends, which
 * re-opens those requests to a replay. Only signed, in-window requests are recorded, so filling it
 * takes a merchant's own key and more than {@code maxNoises} requests within a window; the default
 * ({@link #DEFAULT_MAX_NOISES}, about 150 bytes each) is far above what the merchant rate limits let
 * through on one node.
 */
public final class MemoryNoiseLedger implements NoiseLedger {
    /** 500 000 noises: about 75 MB at most, e.g. 800 requests/s for ten minutes. */
    public static final long DEFAULT_MAX_NOISES = 500_000;

    private final Cache<String, Long> noises;

    /** @param nanos the monotonic clock the windows are measured on ({@code System::nanoTime}; tests move their own) */
    public MemoryNoiseLedger(LongSupplier nanos) {
        this(nanos, DEFAULT_MAX_NOISES);
    }

    public MemoryNoiseLedger(LongSupplier nanos, long maxNoises) {
        this.noises = Caffeine.newBuilder()
                .maximumSize(maxNoises)
                .expireAfter(new PerNoiseWindow())
                .ticker(nanos::getAsLong)
                // clean-up on the calling thread: no pool thread, and a test sees expiry at once
                .executor(Runnable::run)
                .build();
    }

    @Override
    public boolean firstUse(String mid, String noise, Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, was " + window);
        }
        // the mid has exactly 15 digits, so the pair is unambiguous without a separator; one is kept for reading
        return noises.asMap().putIfAbsent(mid + ':' + noise, window.toNanos()) == null;
    }

    /** How many noises are remembered now (expired ones forgotten first). */
    long size() {
        noises.cleanUp();
        return noises.estimatedSize();
    }

    /** Each noise lives for the window it was recorded with (the value), never longer for being read. */
    private static final class PerNoiseWindow implements Expiry<String, Long> {
        @Override
        public long expireAfterCreate(String key, Long window, long now) {
            return window;
        }

        @Override
        public long expireAfterUpdate(String key, Long window, long now, long current) {
            return current;
        }

        @Override
        public long expireAfterRead(String key, Long window, long now, long current) {
            return current;
        }
    }
}
