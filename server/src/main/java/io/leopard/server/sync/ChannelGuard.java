package io.leopard.server.sync;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.leopard.server.channel.ChannelException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A circuit breaker per merchant account (channel and merchant) and a rate limit per channel,
 * shared by query-time sync and the sweeper of this node. An account whose calls keep failing
 * (the channel unreachable, slow, answering garbage or signatures that do not verify) is not asked
 * for a while: queries answer the stored state at once instead of each waiting the timeout, and the
 * sweeper backs off. Per account, not per channel: one merchant's wrong Alipay public key or a
 * sandbox set to time out must not stop everyone else's orders from syncing; a channel that is down
 * trips every account that uses it within ten calls each, which the channel's rate limit bounds. The
 * rate limit keeps a burst of pending orders from turning into a burst of calls the channel would
 * throttle us for.
 *
 * <p>What counts as a failure: only faults of the channel's side ({@link ChannelException#isChannelFault}).
 * A refusal (bad credentials) or a mismatch is an answer, not an outage. The numbers: the last 20
 * calls, open at 50 % failures once 10 are in, open for 10 s, then 3 trial calls. The breaker is
 * asked before the rate limit, so a call it refuses does not use up the rate.
 */
final class ChannelGuard {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelGuard.class);
    private static final CircuitBreakerConfig BREAKER = CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(3)
            .maxWaitDurationInHalfOpenState(Duration.ofSeconds(30))
            .recordException(e -> e instanceof ChannelException ce && ce.isChannelFault())
            .build();

    private final RateLimiterConfig rateConfig;
    private final MeterRegistry registry;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, RateLimiter> limiters = new ConcurrentHashMap<>();
    private final java.util.Set<String> gauged = ConcurrentHashMap.newKeySet();

    ChannelGuard(int callsPerSecond, MeterRegistry registry) {
        this.rateConfig = RateLimiterConfig.custom()
                .limitForPeriod(callsPerSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build();
        this.registry = registry;
    }

    /**
     * Runs {@code call} unless the channel's breaker is open or its rate is used up.
     *
     * @throws ChannelException {@code TRIPPED} or {@code RATE_LIMITED} when not run, else what the call threw
     */
    <T> T call(String channel, String mid, Supplier<T> call) {
        CircuitBreaker breaker = breaker(channel, mid);
        if (!breaker.tryAcquirePermission()) {
            throw new ChannelException(ChannelException.Failure.TRIPPED, channel + " circuit breaker of merchant " + mid + " is open");
        }
        if (!limiters.computeIfAbsent(channel, n -> RateLimiter.of("channel-" + n, rateConfig)).acquirePermission()) {
            breaker.releasePermission();
            throw new ChannelException(ChannelException.Failure.RATE_LIMITED, channel + " rate limit reached on this node");
        }
        long start = System.nanoTime();
        try {
            T result = call.get();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    CircuitBreaker.State state(String channel, String mid) {
        return breaker(channel, mid).getState();
    }

    private CircuitBreaker breaker(String channel, String mid) {
        return breakers.computeIfAbsent(channel + '/' + mid, key -> {
            CircuitBreaker b = CircuitBreaker.of("channel-" + key, BREAKER);
            b.getEventPublisher().onStateTransition(e -> {
                CircuitBreaker.State to = e.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    LOG.warn("channel {} circuit breaker of merchant {} opened: its pending orders answer their stored state"
                            + " for {} s", channel, mid, BREAKER.getWaitIntervalFunctionInOpenState().apply(1) / 1000);
                } else {
                    LOG.info("channel {} circuit breaker of merchant {} is {}", channel, mid, to);
                }
            });
            openGauge(channel);
            return b;
        });
    }

    /** {@code leopard.sync.breakers.open{channel}}: how many accounts at the channel have their breaker open now. */
    private void openGauge(String channel) {
        if (gauged.add(channel)) {
            Gauge.builder("leopard.sync.breakers.open", breakers, all -> all.entrySet().stream()
                            .filter(e -> e.getKey().startsWith(channel + '/'))
                            .filter(e -> e.getValue().getState() != CircuitBreaker.State.CLOSED).count())
                    .tag("channel", channel)
                    .description("Merchant accounts at the channel whose circuit breaker is open or half-open")
                    .register(registry);
        }
    }
}
