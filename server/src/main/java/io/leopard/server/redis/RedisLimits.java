package io.leopard.server.redis;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.Limits;
import io.leopard.server.access.RateSettings;
import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * The two request rates kept in Redis, shared by every node: one bucket per merchant and one per
 * client address, each decided by one atomic script (see {@link BucketScript}). It throws what
 * Lettuce throws when Redis fails or is slow; {@link SharedLimits} decides alone then.
 */
final class RedisLimits implements Limits {
    private final RedisLink link;
    private final RateSettings rates;
    private final BucketScript script = new BucketScript();
    /** Microseconds for the script, or {@code null}: Redis's own clock. */
    private final LongSupplier testMicros;

    RedisLimits(RedisLink link, RateSettings rates) {
        this(link, rates, null);
    }

    /** With a hand-driven clock (microseconds) in place of Redis's: tests only. */
    RedisLimits(RedisLink link, RateSettings rates, LongSupplier testMicros) {
        this.link = link;
        this.rates = rates;
        this.testMicros = testMicros;
    }

    @Override
    public boolean tryMerchant(String mid, AccessPolicy policy) {
        int perSecond = policy.ratePerSecond() != null ? policy.ratePerSecond() : rates.perSecond();
        int burst = policy.rateBurst() != null ? policy.rateBurst() : rates.burst();
        return script.take(link.commands(), link.key("rate:mid:" + mid), perSecond, burst, now());
    }

    @Override
    public boolean chargeFailure(InetAddress address) {
        return script.take(link.commands(), link.key("rate:ip:" + address.getHostAddress()), rates.addressPerSecond(),
                rates.addressBurst(), now());
    }

    private Long now() {
        return testMicros == null ? null : testMicros.getAsLong();
    }
}
