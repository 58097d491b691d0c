package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelGuardTest {
    private static final String M = "100000000000001";
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger made = new AtomicInteger();

    private String ok() {
        made.incrementAndGet();
        return "ok";
    }

    private String failing(Failure failure) {
        made.incrementAndGet();
        throw new ChannelException(failure, "test " + failure);
    }

    private static Failure failure(Runnable call) {
        try {
            call.run();
        } catch (ChannelException e) {
            return e.failure();
        }
        return null;
    }

    @Test
    void opensAtHalfOfTwentyCallsFailingThenMakesNoCalls() {
        ChannelGuard guard = new ChannelGuard(1000, registry);
        for (int i = 0; i < 10; i++) {
            assertThat(guard.call("wechat", M, this::ok)).isEqualTo("ok");
        }
        Failure[] faults = {Failure.UNREACHABLE, Failure.TIMEOUT, Failure.HTTP_STATUS, Failure.MALFORMED, Failure.BAD_SIGNATURE};
        for (int i = 0; i < 9; i++) {
            Failure f = faults[i % faults.length];
            assertThat(failure(() -> guard.call("wechat", M, () -> failing(f)))).as("the call's own failure").isEqualTo(f);
        }
        assertThat(guard.state("wechat", M)).as("9 of 19").isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(failure(() -> guard.call("wechat", M, () -> failing(Failure.TIMEOUT)))).isEqualTo(Failure.TIMEOUT);
        assertThat(guard.state("wechat", M)).as("10 of 20").isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(made).hasValue(20);
        assertThat(failure(() -> guard.call("wechat", M, this::ok))).isEqualTo(Failure.TRIPPED);
        assertThat(failure(() -> guard.call("wechat", M, this::ok))).isEqualTo(Failure.TRIPPED);
        assertThat(made).as("no call made while open").hasValue(20);
        assertThat(guard.call("alipay", M, this::ok)).as("per channel").isEqualTo("ok");
        assertThat(guard.call("wechat", "100000000000002", this::ok)).as("per merchant: another's account is not tripped")
                .isEqualTo("ok");
        assertThat(registry.get("leopard.sync.breakers.open").tag("channel", "wechat").gauge().value()).isEqualTo(1.0);
        assertThat(registry.get("leopard.sync.breakers.open").tag("channel", "alipay").gauge().value()).isEqualTo(0.0);
    }

    @Test
    void refusalsAndMismatchesAreAnswersNotOutages() {
        ChannelGuard guard = new ChannelGuard(1000, registry);
        Failure[] answers = {Failure.REFUSED, Failure.MISMATCH, Failure.NOT_CONFIGURED};
        for (int i = 0; i < 30; i++) {
            Failure f = answers[i % answers.length];
            assertThat(failure(() -> guard.call("wechat", M, () -> failing(f)))).isEqualTo(f);
        }
        assertThat(guard.state("wechat", M)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(made).hasValue(30);
        assertThat(guard.call("wechat", M, this::ok)).isEqualTo("ok");
    }

    @Test
    void faultsAfterRefusalsStillOpenIt() {
        ChannelGuard guard = new ChannelGuard(1000, registry);
        for (int i = 0; i < 10; i++) {
            failure(() -> guard.call("wechat", M, () -> failing(Failure.UNREACHABLE)));
        }
        assertThat(guard.state("wechat", M)).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void beyondTheRateLimitCallsAreNotMade() throws Exception {
        ChannelGuard guard = new ChannelGuard(3, registry);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Failure>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(pool.submit(() -> {
                    go.await();
                    return failure(() -> guard.call("sandbox", M, this::ok));
                }));
            }
            go.countDown();
            List<Failure> outcomes = new ArrayList<>();
            for (Future<Failure> f : calls) {
                outcomes.add(f.get(10, TimeUnit.SECONDS));
            }
            assertThat(outcomes).filteredOn(f -> f == null).hasSize(3);
            assertThat(outcomes).filteredOn(f -> f == Failure.RATE_LIMITED).hasSize(1);
            assertThat(made).hasValue(3);
            assertThat(guard.call("wechat", M, this::ok)).as("per channel").isEqualTo("ok");
            assertThat(guard.state("sandbox", M)).as("not an outage").isEqualTo(CircuitBreaker.State.CLOSED);
        } finally {
            pool.shutdownNow();
        }
    }
}
