package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The back-off after a Redis failure, on a hand-driven clock. */
class RedisOutageTest {
    private final AtomicLong nanos = new AtomicLong(-5); // any start, negative included
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RedisOutage outage = new RedisOutage("test", registry, nanos::get);
    private final AtomicInteger asked = new AtomicInteger();

    private boolean failing() {
        asked.incrementAndGet();
        throw new IllegalStateException("Redis is down");
    }

    private boolean answering() {
        asked.incrementAndGet();
        return true;
    }

    @Test
    void afterAFailureNobodyAsksUntilTheBackOffHasPassedThenOneDoes() {
        assertThat(outage.decide(this::failing, () -> false)).as("the local answer").isFalse();
        assertThat(outage.isDown()).isTrue();
        assertThat(outage.decide(this::answering, () -> false)).isFalse();
        assertThat(asked).hasValue(1);
        nanos.addAndGet(RedisOutage.BACK_OFF.toNanos() - 1);
        assertThat(outage.tryRedis()).isFalse();
        nanos.addAndGet(1);
        assertThat(outage.tryRedis()).as("the one trial").isTrue();
        assertThat(outage.tryRedis()).as("one at a time").isFalse();
        outage.failed(new IllegalStateException("still down"));
        assertThat(outage.tryRedis()).as("a new back-off").isFalse();
        nanos.addAndGet(RedisOutage.BACK_OFF.toNanos());
        assertThat(outage.decide(this::answering, () -> false)).isTrue();
        assertThat(outage.isDown()).isFalse();
        assertThat(outage.tryRedis()).isTrue();
        assertThat(registry.get("leopard.redis.fallbacks").counter().count()).isEqualTo(2);
        assertThat(registry.get("leopard.redis.up").gauge().value()).isOne();
    }
}
