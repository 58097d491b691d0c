package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.access.Limits;
import io.leopard.server.access.RateLimits;
import io.leopard.server.access.RateSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The node's own buckets follow what Redis allowed, so that falling back hands out no fresh burst:
 * the cluster drill saw a merchant get 15 % over its quota each time one Redis answer came late.
 * Redis is a stand-in here that answers from a bucket of its own, or fails on demand.
 */
class SharedLimitsInStepTest {
    private static final String MID = "100000000000456";
    private static final InetAddress ADDRESS = CidrRange.literal("203.0.113.7");
    /** 10 a second, a burst of 10, 2 nodes: alone, a node allows a burst of 5. */
    private static final RateSettings RATES = new RateSettings(10, 10, 4, 4);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean redisDown = new AtomicBoolean();
    private final RateLimits cluster = new RateLimits(RATES, 1, nanos::get);
    private final Limits redis = new Limits() {
        @Override
        public boolean tryMerchant(String mid, AccessPolicy policy) {
            failIfDown();
            return cluster.tryMerchant(mid, policy);
        }

        @Override
        public boolean chargeFailure(InetAddress address) {
            failIfDown();
            return cluster.chargeFailure(address);
        }
    };
    private final SharedLimits limits = new SharedLimits(redis, new RateLimits(RATES, 2, nanos::get),
            new RedisOutage("test", new SimpleMeterRegistry(), nanos::get));

    private void failIfDown() {
        if (redisDown.get()) {
            throw new IllegalStateException("Redis is down");
        }
    }

    @Test
    void aMerchantWhoSpentItsBurstThroughRedisGetsNoFreshBurstWhenRedisGoes() {
        int viaRedis = 0;
        while (viaRedis < 100 && limits.tryMerchant(MID, AccessPolicy.DEFAULT)) {
            viaRedis++;
        }
        assertThat(viaRedis).isEqualTo(10);

        redisDown.set(true);
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).as("the node's share was spent too").isFalse();

        nanos.addAndGet(200_000_000L); // 0.2 s at the node's 5 a second: one request
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).isFalse();
    }

    @Test
    void aRequestRedisRefusedCostsTheNodesBucketNothing() {
        for (int i = 0; i < 10; i++) {
            assertThat(cluster.tryMerchant(MID, AccessPolicy.DEFAULT)).as("the other node spends the burst").isTrue();
        }
        for (int i = 0; i < 20; i++) {
            assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).as("refused by Redis").isFalse();
        }
        redisDown.set(true);
        int alone = 0;
        while (alone < 100 && limits.tryMerchant(MID, AccessPolicy.DEFAULT)) {
            alone++;
        }
        assertThat(alone).as("the node's own share, untouched by the refusals").isEqualTo(5);
    }

    @Test
    void anAddressesFailuresAreKeptInStepToo() {
        int viaRedis = 0;
        while (viaRedis < 100 && limits.chargeFailure(ADDRESS)) {
            viaRedis++;
        }
        assertThat(viaRedis).isEqualTo(4);
        redisDown.set(true);
        assertThat(limits.chargeFailure(ADDRESS)).isFalse();
    }
}
