package io.leopard.server.redis;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.Limits;
import java.net.InetAddress;

/**
 * The rates of a cluster: asked of Redis, so that a merchant's quota holds across every node; while
 * Redis is down or slow, decided by this node alone with its share of each quota (the local
 * {@code RateLimits} divided by {@code cluster.expected-nodes}). A query is never refused or failed
 * because Redis is gone.
 */
public final class SharedLimits implements Limits {
    private final Limits redis;
    private final Limits alone;
    private final RedisOutage outage;

    SharedLimits(Limits redis, Limits alone, RedisOutage outage) {
        this.redis = redis;
        this.alone = alone;
        this.outage = outage;
    }

    @Override
    public boolean tryMerchant(String mid, AccessPolicy policy) {
        return outage.decide(() -> redis.tryMerchant(mid, policy), () -> alone.tryMerchant(mid, policy));
    }

    @Override
    public boolean chargeFailure(InetAddress address) {
        return outage.decide(() -> redis.chargeFailure(address), () -> alone.chargeFailure(address));
    }
}
