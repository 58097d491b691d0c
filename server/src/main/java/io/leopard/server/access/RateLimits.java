package io.leopard.server.access;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The two request rates of the hardening issue. Per merchant, for requests whose signature passed
 * (so an unsigned flood cannot eat a merchant's quota); and per client address, for requests that
 * fail before that point: once an address has used up its failures, its failing requests are
 * answered {@code FREQUENCY_LIMITED}, while its correctly signed ones are still served, so one
 * misconfigured terminal behind a shared NAT or proxy cannot lock out the others.
 */
public final class RateLimits implements Limits {
    private final int defaultPerSecond;
    private final int defaultBurst;
    private final int addressPerSecond;
    private final int addressBurst;
    /** How many nodes share each rate: this node allows 1/nodes of it (at least 1). */
    private final int nodes;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> merchants = new ConcurrentHashMap<>();
    /** Bounded, and forgets quiet addresses, so a scan from many addresses cannot exhaust memory. */
    private final Cache<InetAddress, TokenBucket> addresses = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();

    public RateLimits(RateSettings rates, LongSupplier nanoTime) {
        this(rates, 1, nanoTime);
    }

    /**
     * The limits of one of {@code nodes} nodes deciding alone (without Redis, or while it is down):
     * each rate and burst divided by {@code nodes}, so that together they allow about the whole.
     */
    public RateLimits(RateSettings rates, int nodes, LongSupplier nanoTime) {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1");
        }
        this.nodes = nodes;
        this.defaultPerSecond = rates.perSecond();
        this.defaultBurst = rates.burst();
        this.addressPerSecond = share(rates.addressPerSecond());
        this.addressBurst = share(rates.addressBurst());
        this.nanoTime = nanoTime;
    }

    private int share(int rate) {
        return Math.max(1, rate / nodes);
    }

    /** Spends one of the address's failures; {@code false} when it had none left. */
    @Override
    public boolean chargeFailure(InetAddress address) {
        long now = nanoTime.getAsLong();
        return addresses.get(address, a -> new TokenBucket(addressPerSecond, addressBurst, now)).tryTake(now);
    }

    /** Takes one of the merchant's requests; {@code false} when it is over its rate. */
    @Override
    public boolean tryMerchant(String mid, AccessPolicy policy) {
        int perSecond = share(policy.ratePerSecond() != null ? policy.ratePerSecond() : defaultPerSecond);
        int burst = share(policy.rateBurst() != null ? policy.rateBurst() : defaultBurst);
        long now = nanoTime.getAsLong();
        // read first: compute() locks the key's bin on every call, and every request of a merchant
        // would queue on that monitor (see TokenBucket on why a monitor is the wrong place to wait)
        TokenBucket bucket = merchants.get(mid);
        if (bucket == null || !bucket.hasLimits(perSecond, burst)) {
            bucket = merchants.compute(mid, (m, old) ->
                    old != null && old.hasLimits(perSecond, burst) ? old : new TokenBucket(perSecond, burst, now));
        }
        return bucket.tryTake(now);
    }
}
