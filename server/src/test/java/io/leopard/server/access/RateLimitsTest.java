package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.demo.DemoFixture;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The two request rates on a hand-driven clock. */
class RateLimitsTest {
    private static final long SECOND = 1_000_000_000L;
    private static final InetAddress ADDRESS = CidrRange.literal("203.0.113.7");
    private static final InetAddress OTHER_ADDRESS = CidrRange.literal("203.0.113.8");

    private final AtomicLong now = new AtomicLong(42 * SECOND);
    private final RateLimits limits = new RateLimits(new RateSettings(2, 3, 1, 2), now::get);

    /** What the limits know of a merchant: its mid and its own policy. */
    private record Shop(String mid, AccessPolicy policy) {
    }

    private static Shop merchant(String mid, AccessPolicy policy) {
        return new Shop(mid, policy);
    }

    private static final Shop SHOP = merchant(DemoFixture.MID, AccessPolicy.DEFAULT);

    private int merchantRequests(Shop m) {
        int n = 0;
        while (n < 1000 && limits.tryMerchant(m.mid(), m.policy())) {
            n++;
        }
        return n;
    }

    private int failures(InetAddress address) {
        int n = 0;
        while (n < 1000 && limits.chargeFailure(address)) {
            n++;
        }
        return n;
    }

    @Test
    void aMerchantGetsTheConfiguredBurstThenTheRate() {
        assertThat(merchantRequests(SHOP)).isEqualTo(3);
        now.addAndGet(SECOND / 2);
        assertThat(merchantRequests(SHOP)).as("2 per second for half a second").isEqualTo(1);
        now.addAndGet(10 * SECOND);
        assertThat(merchantRequests(SHOP)).isEqualTo(3);
    }

    @Test
    void oneOfSeveralNodesAllowsItsShareOfEachRate() {
        RateLimits oneOfTwo = new RateLimits(new RateSettings(10, 6, 4, 4), 2, now::get);
        int served = 0;
        while (served < 100 && oneOfTwo.tryMerchant(SHOP.mid(), SHOP.policy())) {
            served++;
        }
        assertThat(served).as("half the burst of 6").isEqualTo(3);
        now.addAndGet(SECOND);
        served = 0;
        while (served < 100 && oneOfTwo.tryMerchant(SHOP.mid(), new AccessPolicy(40, 40, List.of()))) {
            served++;
        }
        assertThat(served).as("half the merchant's own burst of 40").isEqualTo(20);
        assertThat(oneOfTwo.chargeFailure(ADDRESS)).isTrue();
        assertThat(oneOfTwo.chargeFailure(ADDRESS)).isTrue();
        assertThat(oneOfTwo.chargeFailure(ADDRESS)).as("half the address burst of 4").isFalse();
        RateLimits oneOfMany = new RateLimits(new RateSettings(2, 3, 1, 2), 1000, now::get);
        assertThat(oneOfMany.tryMerchant(SHOP.mid(), SHOP.policy())).as("never below 1").isTrue();
    }

    @Test
    void eachMerchantHasItsOwnBucket() {
        merchantRequests(SHOP);
        assertThat(limits.tryMerchant(DemoFixture.OTHER_MID, AccessPolicy.DEFAULT)).isTrue();
        assertThat(limits.tryMerchant(SHOP.mid(), SHOP.policy())).isFalse();
    }

    @Test
    void aMerchantsOwnRateOverridesTheDefault() {
        Shop fast = merchant(DemoFixture.OTHER_MID, new AccessPolicy(1, 10, List.of()));
        assertThat(merchantRequests(fast)).isEqualTo(10);
        now.addAndGet(SECOND);
        assertThat(merchantRequests(fast)).isEqualTo(1);
    }

    @Test
    void aMerchantMaySetOnlyOneOfRateAndBurst() {
        assertThat(merchantRequests(merchant(DemoFixture.OTHER_MID, new AccessPolicy(null, 5, List.of())))).isEqualTo(5);
        Shop rateOnly = merchant(DemoFixture.DISABLED_MID, new AccessPolicy(7, null, List.of()));
        assertThat(merchantRequests(rateOnly)).as("the default burst").isEqualTo(3);
        now.addAndGet(SECOND);
        assertThat(merchantRequests(rateOnly)).as("its own 7 per second, capped by the burst").isEqualTo(3);
    }

    @Test
    void aChangedLimitTakesEffectAtOnceWithAFreshBucket() {
        assertThat(merchantRequests(SHOP)).isEqualTo(3);
        Shop raised = merchant(SHOP.mid(), new AccessPolicy(2, 8, List.of()));
        assertThat(merchantRequests(raised)).isEqualTo(8);
        assertThat(merchantRequests(raised)).as("the same limits keep the same bucket").isZero();
    }

    @Test
    void anAddressMayFailItsBurstThenAtItsRate() {
        assertThat(failures(ADDRESS)).isEqualTo(2);
        now.addAndGet(SECOND);
        assertThat(failures(ADDRESS)).isEqualTo(1);
    }

    @Test
    void eachAddressHasItsOwnFailures() {
        failures(ADDRESS);
        assertThat(limits.chargeFailure(OTHER_ADDRESS)).isTrue();
        assertThat(limits.chargeFailure(ADDRESS)).isFalse();
    }

    @Test
    void anAddressesFailuresDoNotSpendAMerchantsRequests() {
        failures(ADDRESS);
        assertThat(merchantRequests(SHOP)).isEqualTo(3);
    }
}
