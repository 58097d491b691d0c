package io.leopard.server.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether to ask Redis now. After a failure (an error, or no answer within {@code redis.timeout})
 * the node stops asking for {@link #BACK_OFF}, deciding alone, so that a Redis that is down or
 * stopped costs no request the timeout; then one request tries again, and the others go on alone
 * until it has succeeded. Each outage is logged twice: WARN when it starts, INFO when it ends.
 *
 * <p>Metrics: {@code leopard.redis.up} (1 or 0) and {@code leopard.redis.fallbacks}, the decisions
 * made without Redis.
 */
public final class RedisOutage {
    private static final Logger LOG = LoggerFactory.getLogger(RedisOutage.class);
    /** Long enough that a down Redis costs a timeout a few times a second at most, short enough to notice its return. */
    public static final Duration BACK_OFF = Duration.ofMillis(500);

    private final LongSupplier nanoTime;
    private final String where;
    private final Counter fallbacks;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean down;
    private volatile long retryAt;

    /** @param where what the log lines name (the URL without its password) */
    public RedisOutage(String where, MeterRegistry registry, LongSupplier nanoTime) {
        this.where = where;
        this.nanoTime = nanoTime;
        this.fallbacks = Counter.builder("leopard.redis.fallbacks")
                .description("decisions (rates, replay noises) a node made alone because Redis was down or slow")
                .register(registry);
        Gauge.builder("leopard.redis.up", this, o -> o.down ? 0 : 1)
                .description("1 while this node's Redis answers, 0 while it decides alone").register(registry);
    }

    /**
     * {@code shared}'s answer when Redis gives one in time, else {@code alone}'s (counted as a
     * fallback). Never throws because of Redis.
     */
    public boolean decide(BooleanSupplier shared, BooleanSupplier alone) {
        if (tryRedis()) {
            try {
                boolean answer = shared.getAsBoolean();
                succeeded();
                return answer;
            } catch (RuntimeException e) {
                failed(e);
            }
        }
        fellBack();
        return alone.getAsBoolean();
    }

    /**
     * Whether the caller should ask Redis: {@code true} while it is up, and for one caller at a time
     * once the back-off has passed; that caller must then report {@link #succeeded()} or {@link #failed}.
     */
    boolean tryRedis() {
        if (!down) {
            return true;
        }
        return nanoTime.getAsLong() - retryAt >= 0 && probing.compareAndSet(false, true);
    }

    /** Redis answered. */
    void succeeded() {
        if (down) {
            synchronized (this) {
                if (down) {
                    down = false;
                    LOG.info("Redis at {} answers again: rates and replay noises are shared again", where);
                }
            }
        }
        probing.set(false);
    }

    /** Redis failed or did not answer in time: the caller decides alone, and so do the next ones for a while. */
    void failed(RuntimeException e) {
        synchronized (this) {
            retryAt = nanoTime.getAsLong() + BACK_OFF.toNanos();
            if (!down) {
                down = true;
                LOG.warn("Redis at {} failed ({}): each node decides rates alone, with its share of each quota, "
                        + "until it answers again", where, e.toString());
            }
        }
        probing.set(false);
    }

    /** One decision made without Redis. */
    void fellBack() {
        fallbacks.increment();
    }

    /** Whether Redis is taken to be down. */
    public boolean isDown() {
        return down;
    }
}
