package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.access.RateSettings;
import io.leopard.server.testing.TestRedis;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Lua token bucket against the machine's Redis, on a hand-driven clock (microseconds). */
class RedisLimitsTest {
    private static final long SECOND = 1_000_000L;
    private static final String MID = "100000000000456";
    private static final InetAddress ADDRESS = CidrRange.literal("203.0.113.7");
    private static final RateSettings RATES = new RateSettings(2, 3, 1, 2);

    private final AtomicLong micros = new AtomicLong(1_764_000_000L * SECOND + 123_456);
    private TestRedis redis;
    private RedisLink link;
    private RedisLink otherLink;

    @BeforeEach
    void connect() {
        redis = TestRedis.connect();
        RedisSettings settings = new RedisSettings(TestRedis.URL, Duration.ofSeconds(2), redis.prefix(), 2);
        link = RedisLink.open(settings);
        otherLink = RedisLink.open(settings);
        assertThat(link.awaitConnected(Duration.ofSeconds(10)) && otherLink.awaitConnected(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void close() {
        link.close();
        otherLink.close();
        redis.close();
    }

    private static int requests(RedisLimits limits, String mid, AccessPolicy policy) {
        int n = 0;
        while (n < 1000 && limits.tryMerchant(mid, policy)) {
            n++;
        }
        return n;
    }

    @Test
    void aMerchantGetsItsBurstThenTheRate() {
        RedisLimits limits = new RedisLimits(link, RATES, micros::get);
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).isEqualTo(3);
        micros.addAndGet(SECOND / 2);
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).as("2 per second for half a second").isEqualTo(1);
        micros.addAndGet(SECOND / 4);
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).as("half a token is none").isZero();
        micros.addAndGet(SECOND / 4);
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).as("the other half makes one").isEqualTo(1);
        micros.addAndGet(10 * SECOND);
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).as("never more than the burst").isEqualTo(3);
    }

    @Test
    void twoNodesShareOneQuota() {
        RedisLimits one = new RedisLimits(link, RATES, micros::get);
        RedisLimits two = new RedisLimits(otherLink, RATES, micros::get);
        assertThat(one.tryMerchant(MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(two.tryMerchant(MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(one.tryMerchant(MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(two.tryMerchant(MID, AccessPolicy.DEFAULT)).as("the burst of 3 is spent across both").isFalse();
        assertThat(one.tryMerchant(MID, AccessPolicy.DEFAULT)).isFalse();
        micros.addAndGet(SECOND);
        assertThat(requests(two, MID, AccessPolicy.DEFAULT) + requests(one, MID, AccessPolicy.DEFAULT)).isEqualTo(2);
    }

    @Test
    void aMerchantsOwnRateAppliesAndOtherMerchantsAreApart() {
        RedisLimits limits = new RedisLimits(link, RATES, micros::get);
        assertThat(requests(limits, MID, new AccessPolicy(1, 5, List.of()))).isEqualTo(5);
        assertThat(requests(limits, "100000000000457", AccessPolicy.DEFAULT)).isEqualTo(3);
    }

    @Test
    void anAddressHasItsOwnFailures() {
        RedisLimits limits = new RedisLimits(link, RATES, micros::get);
        assertThat(limits.chargeFailure(ADDRESS)).isTrue();
        assertThat(limits.chargeFailure(ADDRESS)).isTrue();
        assertThat(limits.chargeFailure(ADDRESS)).isFalse();
        assertThat(limits.chargeFailure(CidrRange.literal("2001:db8::1"))).isTrue();
        assertThat(limits.tryMerchant(MID, AccessPolicy.DEFAULT)).as("a merchant's bucket is another").isTrue();
    }

    @Test
    void anIdleBucketExpiresOnceItWouldBeFullAgain() {
        RedisLimits limits = new RedisLimits(link, RATES, micros::get);
        limits.tryMerchant(MID, AccessPolicy.DEFAULT);
        long ttl = redis.commands().pttl(redis.prefix() + "rate:mid:" + MID);
        // one token short at 2 per second: full again after 500 ms, plus the script's second of slack
        assertThat(ttl).isPositive().isLessThanOrEqualTo(1500);
    }

    @Test
    void redisOwnClockRefillsWithoutTheNodes() {
        RedisLimits limits = new RedisLimits(link, new RateSettings(1, 4, 1, 1));
        assertThat(requests(limits, MID, AccessPolicy.DEFAULT)).as("the burst, on Redis's TIME").isBetween(4, 5);
        assertThat(redis.commands().hget(redis.prefix() + "rate:mid:" + MID, "t")).matches("\\d{16}");
    }
}
