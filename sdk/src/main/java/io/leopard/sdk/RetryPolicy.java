package io.leopard.sdk;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how a failed request is sent again. Only failures that may pass later are retried:
 * transport failures (I/O error, timeout, HTTP 5xx or 429 without a JSON answer) and the protocol
 * errors {@code SYSTEM_ERROR} and {@code FREQUENCY_LIMITED}, which the protocol answers with
 * "retry later". Never a {@code SIGN_ERROR}, {@code PARAM_ERROR} or any other refusal, nor a bad
 * signature. Each retry is a new request: fresh noise, fresh signature.
 *
 * <p>The wait before retry {@code n} (1-based) is {@code min(maxDelay, initialDelay * 2^(n-1))}
 * times a random factor in [0.75, 1]: exponential backoff with jitter, so that many clients
 * failing together do not come back together. Immutable.
 */
public final class RetryPolicy {
    private static final RetryPolicy NONE = new RetryPolicy(0, Duration.ZERO, Duration.ZERO);
    private static final RetryPolicy DEFAULTS = new RetryPolicy(2, Duration.ofMillis(500), Duration.ofSeconds(5));

    private final int maxRetries;
    private final Duration initialDelay;
    private final Duration maxDelay;

    private RetryPolicy(int maxRetries, Duration initialDelay, Duration maxDelay) {
        this.maxRetries = maxRetries;
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
    }

    /** 2 retries, waiting about 0.5 s then 1 s; never more than 5 s between tries. */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /** Every failure is reported at once. */
    public static RetryPolicy none() {
        return NONE;
    }

    /**
     * @param maxRetries   retries after the first try, 0 to 10
     * @param initialDelay the wait before the first retry, positive
     * @param maxDelay     the longest wait between tries, at least {@code initialDelay}
     */
    public static RetryPolicy of(int maxRetries, Duration initialDelay, Duration maxDelay) {
        Objects.requireNonNull(initialDelay, "initialDelay == null");
        Objects.requireNonNull(maxDelay, "maxDelay == null");
        if (maxRetries < 0 || maxRetries > 10) {
            throw new IllegalArgumentException("maxRetries must be 0 to 10, was " + maxRetries);
        }
        if (initialDelay.isNegative() || initialDelay.isZero()) {
            throw new IllegalArgumentException("initialDelay must be positive, was " + initialDelay);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("maxDelay (" + maxDelay + ") must be at least initialDelay (" + initialDelay + ")");
        }
        return new RetryPolicy(maxRetries, initialDelay, maxDelay);
    }

    public int maxRetries() {
        return maxRetries;
    }

    public Duration initialDelay() {
        return initialDelay;
    }

    public Duration maxDelay() {
        return maxDelay;
    }

    /** The wait in nanoseconds before retry {@code retry} (1-based), given a uniform random in [0, 1). */
    long delayNanos(int retry, double random) {
        long initial = initialDelay.toNanos();
        long max = maxDelay.toNanos();
        long base = initial;
        for (int i = 1; i < retry && base < max; i++) {
            base = base > max / 2 ? max : base * 2;
        }
        base = Math.min(base, max);
        return (long) (base * (0.75 + 0.25 * random));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxRetries=" + maxRetries + ", initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + '}';
    }
}
