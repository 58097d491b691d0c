package io.leopard.server.redis;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.Limits;
import java.net.InetAddress;

/**
 * The rates of a cluster: asked of Redis, so that a merchant's quota holds across every node; while
 * Redis is down or slow, decided by this node alone with its share of each quota (the local
 * {@code RateLimits} divided by {@code cluster.expected-nodes}). A query is never refused or failed
 * because Redis is gone.
 *
 * <p>Every request Redis allows is also taken from the node's own bucket, whose answer is then
 * ignored: the local buckets follow what this node has been serving, so that falling back (Redis
 * killed, or one answer late on a busy machine) does not hand each node a fresh full burst on top
 * of what the cluster has just spent. The cluster drill measured that burst as 15 % over a merchant's
 * quota before the local buckets were kept in step.
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
        return outage.decide(() -> {
            boolean allowed = redis.tryMerchant(mid, policy);
            if (allowed) {
                alone.tryMerchant(mid, policy); // only to stay in step: Redis has decided
            }
            return allowed;
        }, () -> alone.tryMerchant(mid, policy));
    }

    @Override
    public boolean chargeFailure(InetAddress address) {
        return outage.decide(() -> {
            boolean allowed = redis.chargeFailure(address);
            if (allowed) {
                alone.chargeFailure(address); // only to stay in step: Redis has decided
            }
            return allowed;
        }, () -> alone.chargeFailure(address));
    }
}
