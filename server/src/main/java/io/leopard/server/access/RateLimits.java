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
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, TokenBucket> merchants = new ConcurrentHashMap<>();
    /** Bounded, and forgets quiet addresses, so a scan from many addresses cannot exhaust memory. */
    private final Cache<InetAddress, TokenBucket> addresses = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(2))
            .build();

    public RateLimits(RateSettings rates, LongSupplier nanoTime) {
        this.defaultPerSecond = rates.perSecond();
        this.defaultBurst = rates.burst();
        this.addressPerSecond = rates.addressPerSecond();
        this.addressBurst = rates.addressBurst();
        this.nanoTime = nanoTime;
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
        int perSecond = policy.ratePerSecond() != null ? policy.ratePerSecond() : defaultPerSecond;
        int burst = policy.rateBurst() != null ? policy.rateBurst() : defaultBurst;
        long now = nanoTime.getAsLong();
        TokenBucket bucket = merchants.compute(mid, (m, old) ->
                old != null && old.hasLimits(perSecond, burst) ? old : new TokenBucket(perSecond, burst, now));
        return bucket.tryTake(now);
    }
}
