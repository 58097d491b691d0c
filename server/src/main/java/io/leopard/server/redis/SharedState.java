package io.leopard.server.redis;

import io.leopard.server.access.Limits;
import io.leopard.server.access.NoiseLedger;
import io.leopard.server.access.RateLimits;
import io.leopard.server.access.RateSettings;
import io.leopard.server.merchant.MerchantChanges;
import io.leopard.server.merchant.MerchantDirectory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the nodes of a cluster share through Redis, or, without {@code redis.url}, what one node
 * keeps alone: the request rates, the replay noises and the news of merchant changes. Without Redis
 * every piece is the node's own, exactly as a single node always had it (with each rate divided by
 * {@code cluster.expected-nodes}, 1 unless set).
 */
public final class SharedState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedState.class);
    private final RedisLink link;
    private final RedisOutage outage;
    private final Limits limits;

    private SharedState(RedisLink link, RedisOutage outage, Limits limits) {
        this.link = link;
        this.outage = outage;
        this.limits = limits;
    }

    /** Connects to Redis in the background when {@code redis.url} is set; never fails because Redis is down. */
    public static SharedState open(RedisSettings settings, RateSettings rates, MeterRegistry registry, LongSupplier nanoTime) {
        RateLimits alone = new RateLimits(rates, settings.expectedNodes(), nanoTime);
        if (!settings.enabled()) {
            return new SharedState(null, null, alone);
        }
        LOG.info("rates, replay noises and merchant news are shared through Redis at {} (keys {}*); alone, this node "
                + "allows 1/{} of each rate", settings.shownUrl(), settings.keyPrefix(), settings.expectedNodes());
        RedisLink link = RedisLink.open(settings);
        RedisOutage outage = new RedisOutage(settings.shownUrl(), registry, nanoTime);
        return new SharedState(link, outage, new SharedLimits(new RedisLimits(link, rates), alone, outage));
    }

    /** Whether the state is shared through Redis. */
    public boolean shared() {
        return link != null;
    }

    /** Whether Redis is connected and answers (always {@code true} without Redis: nothing is missing). */
    public boolean up() {
        return link == null || link.isConnected() && !outage.isDown();
    }

    /** The request rates the query pipeline asks. */
    public Limits limits() {
        return limits;
    }

    /** The replay noises: in Redis, with {@code alone} as this node's own record and fallback; without Redis, {@code alone}. */
    public NoiseLedger noises(NoiseLedger alone) {
        return link == null ? alone : new RedisNoiseLedger(link, alone, outage);
    }

    /** Where the merchant store announces its changes. */
    public MerchantChanges merchantChanges() {
        return link == null ? MerchantChanges.NONE : MerchantNews.publisher(link);
    }

    /** Makes {@code directory} reload as soon as any node announces a merchant change. */
    public void follow(MerchantDirectory directory) {
        if (link != null) {
            MerchantNews.subscribe(link, directory);
        }
    }

    @Override
    public void close() {
        if (link != null) {
            link.close();
        }
    }
}
