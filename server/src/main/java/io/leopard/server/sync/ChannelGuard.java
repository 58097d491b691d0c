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
 * A circuit breaker and a rate limit per channel, shared by query-time sync and the sweeper of
 * this node. A channel that keeps failing (unreachable, slow, answering garbage or bad signatures)
 * is not asked for a while: queries answer the stored state at once instead of each waiting the
 * timeout, and the sweeper backs off. The rate limit keeps a burst of pending orders from turning
 * into a burst of calls the channel would throttle us for.
 *
 * <p>What counts as a failure: only the channel's own faults ({@link ChannelException#isChannelFault}).
 * A refusal (bad credentials of one merchant) or a mismatch is an answer, not an outage. The
 * numbers: the last 20 calls, open at 50 % failures once 10 are in, open for 10 s, then 3 trial
 * calls.
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
    <T> T call(String channel, Supplier<T> call) {
        CircuitBreaker breaker = breaker(channel);
        if (!limiters.computeIfAbsent(channel, n -> RateLimiter.of("channel-" + n, rateConfig)).acquirePermission()) {
            throw new ChannelException(ChannelException.Failure.RATE_LIMITED, channel + " rate limit reached on this node");
        }
        if (!breaker.tryAcquirePermission()) {
            throw new ChannelException(ChannelException.Failure.TRIPPED, channel + " circuit breaker is open");
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

    CircuitBreaker.State state(String channel) {
        return breaker(channel).getState();
    }

    private CircuitBreaker breaker(String channel) {
        return breakers.computeIfAbsent(channel, name -> {
            CircuitBreaker b = CircuitBreaker.of("channel-" + name, BREAKER);
            b.getEventPublisher().onStateTransition(e -> {
                CircuitBreaker.State to = e.getStateTransition().getToState();
                if (to == CircuitBreaker.State.OPEN) {
                    LOG.warn("channel {} circuit breaker opened: pending orders answer their stored state for {} s", name,
                            BREAKER.getWaitIntervalFunctionInOpenState().apply(1) / 1000);
                } else {
                    LOG.info("channel {} circuit breaker is {}", name, to);
                }
            });
            Gauge.builder("leopard.sync.breaker.state", b, cb -> switch (cb.getState()) {
                        case CLOSED -> 0;
                        case OPEN, FORCED_OPEN -> 1;
                        case HALF_OPEN -> 2;
                        default -> 3;
                    })
                    .tag("channel", name)
                    .description("Channel circuit breaker: 0 closed, 1 open, 2 half-open")
                    .register(registry);
            return b;
        });
    }
}
