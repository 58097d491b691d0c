package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.access.Limits;
import io.leopard.server.access.RateLimits;
import io.leopard.server.access.RateSettings;
import io.leopard.server.testing.Eventually;
import io.leopard.server.testing.PrivateRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A private Redis killed, restarted and paused under the limits: every request is still decided
 * (alone, with the node's share, while Redis is away), and the limits go back to Redis by themselves.
 * The back-off runs on a hand-driven clock; the only waits are for Lettuce to reconnect.
 */
class SharedLimitsTest {
    private static final String MID = "100000000000456";
    private static final InetAddress ADDRESS = CidrRange.literal("203.0.113.7");
    /** 10 a second and a burst of 10, shared by 2 nodes: alone, a node allows 5. */
    private static final RateSettings RATES = new RateSettings(10, 10, 4, 4);
    private static final Duration RECONNECT = Duration.ofSeconds(20);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicLong micros = new AtomicLong(1_764_000_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    /** How often the limits asked Redis. */
    private final AtomicInteger asked = new AtomicInteger();
    private PrivateRedis redis;
    private RedisLink link;
    private RedisOutage outage;
    private SharedLimits limits;

    @BeforeEach
    void start() {
        redis = PrivateRedis.start();
    }

    @AfterEach
    void stop() {
        if (link != null) {
            link.close();
        }
        redis.close();
    }

    private void open() {
        // generous: a loaded test machine must not make a healthy Redis look slow
        link = RedisLink.open(new RedisSettings(redis.url(), Duration.ofMillis(500), "t:", 2));
        outage = new RedisOutage("test", registry, nanos::get);
        RedisLimits inRedis = new RedisLimits(link, RATES, micros::get);
        Limits counted = new Limits() {
            @Override
            public boolean tryMerchant(String mid, AccessPolicy policy) {
                asked.incrementAndGet();
                return inRedis.tryMerchant(mid, policy);
            }

            @Override
            public boolean chargeFailure(InetAddress address) {
                asked.incrementAndGet();
                return inRedis.chargeFailure(address);
            }
        };
        limits = new SharedLimits(counted, new RateLimits(RATES, 2, nanos::get), outage);
    }

    private int burst() {
        int n = 0;
        while (n < 100 && limits.tryMerchant(MID, AccessPolicy.DEFAULT)) {
            n++;
        }
        return n;
    }

    private double fallbacks() {
        return registry.get("leopard.redis.fallbacks").counter().count();
    }

    private double up() {
        return registry.get("leopard.redis.up").gauge().value();
    }

    /** Lets the back-off pass and asks until a request is decided by Redis again. */
    private void awaitRedisAgain() {
        Eventually.holds("back on Redis", RECONNECT, () -> {
            nanos.addAndGet(RedisOutage.BACK_OFF.toNanos());
            limits.chargeFailure(CidrRange.literal("198.51.100.1"));
            return !outage.isDown();
        });
    }

    @Test
    void aNodeStartsWhileRedisIsDownAndMovesToItOnceItAnswers() {
        redis.kill();
        open();
        assertThat(burst()).as("alone: half of the burst of 10").isEqualTo(5);
        assertThat(up()).isZero();
        assertThat(fallbacks()).isEqualTo(6);
        redis.restart();
        awaitRedisAgain();
        assertThat(up()).isOne();
        assertThat(burst()).as("the cluster's bucket, in Redis").isEqualTo(10);
    }

    @Test
    void aRedisKilledAndRestartedIsLeftAndTakenBackWithoutFailingARequest() {
        open();
        assertThat(link.awaitConnected(RECONNECT)).isTrue();
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(fallbacks()).isZero();
        redis.kill();
        assertThat(burst()).as("alone, the node's own bucket, less the request Redis allowed").isEqualTo(4);
        assertThat(outage.isDown()).isTrue();
        int askedWhileDown = asked.get();
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).isFalse();
        assertThat(asked.get()).as("no request asks Redis during the back-off").isEqualTo(askedWhileDown);
        redis.restart(); // empty, and without the script: it is loaded again
        awaitRedisAgain();
        assertThat(burst()).as("a fresh bucket in the restarted Redis").isEqualTo(10);
    }

    @Test
    void aStuckRedisCostsOneTimeoutThenTheNodeDecidesAloneUntilItAnswers() {
        open();
        assertThat(link.awaitConnected(RECONNECT)).isTrue();
        assertThat(limits.chargeFailure(ADDRESS)).isTrue();
        redis.pause();
        try {
            assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).as("answered alone after the timeout").isTrue();
            assertThat(outage.isDown()).isTrue();
            int askedOnce = asked.get();
            assertThat(burst()).as("the rest of the node's share, without asking Redis").isEqualTo(4);
            assertThat(asked.get()).isEqualTo(askedOnce);
            nanos.addAndGet(RedisOutage.BACK_OFF.toNanos());
            limits.chargeFailure(ADDRESS);
            assertThat(asked.get()).as("after the back-off one request tries Redis again").isEqualTo(askedOnce + 1);
            assertThat(outage.isDown()).as("still stuck").isTrue();
        } finally {
            redis.resume();
        }
        awaitRedisAgain();
        assertThat(up()).isOne();
        assertThat(limits.chargeFailure(ADDRESS)).as("the address's bucket in Redis: 4, one spent before the pause").isTrue();
    }
}
