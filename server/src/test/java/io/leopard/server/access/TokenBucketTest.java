package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/** Time is passed in as nanoseconds: no test sleeps. */
class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    private static int takeAll(TokenBucket b, long now) {
        int n = 0;
        while (b.tryTake(now)) {
            n++;
        }
        return n;
    }

    @Test
    void startsFullWithTheBurst() {
        assertThat(takeAll(new TokenBucket(1, 5, 0), 0)).isEqualTo(5);
        assertThat(takeAll(new TokenBucket(1, 1, 0), 0)).isEqualTo(1);
    }

    @Test
    void refillsAtTheRatePerSecond() {
        TokenBucket b = new TokenBucket(10, 10, 0);
        takeAll(b, 0);
        assertThat(b.tryTake(SECOND / 10 - 1)).as("just under one token").isFalse();
        assertThat(b.tryTake(SECOND / 10)).isTrue();
        assertThat(takeAll(b, SECOND / 10 + SECOND / 2)).isEqualTo(5);
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket b = new TokenBucket(100, 3, 0);
        takeAll(b, 0);
        assertThat(takeAll(b, 3600 * SECOND)).isEqualTo(3);
    }

    @Test
    void timeGoingBackwardsAddsNothingAndTakesNothing() {
        TokenBucket b = new TokenBucket(1, 2, 10 * SECOND);
        assertThat(b.tryTake(10 * SECOND)).isTrue();
        assertThat(b.tryTake(5 * SECOND)).as("one token left").isTrue();
        assertThat(b.tryTake(5 * SECOND)).isFalse();
        assertThat(b.tryTake(11 * SECOND)).as("refill counts from the latest time seen").isTrue();
    }

    @Test
    void knowsTheLimitsItWasMadeFor() {
        TokenBucket b = new TokenBucket(5, 10, 0);
        assertThat(b.hasLimits(5, 10)).isTrue();
        assertThat(b.hasLimits(5, 11)).isFalse();
        assertThat(b.hasLimits(6, 10)).isFalse();
    }

    /** Eight threads started together, each trying 1,000 takes, the i-th at {@code timeOfTry(i)}; how many they got. */
    private static int takenByEightThreads(TokenBucket b, LongUnaryOperator timeOfTry) throws Exception {
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                all.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 1_000; i++) {
                        if (b.tryTake(timeOfTry.applyAsLong(i))) {
                            taken.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        return taken.get();
    }

    @Test
    void threadsTakingAtOnceGetExactlyTheBurstBetweenThem() throws Exception {
        TokenBucket b = new TokenBucket(1, 500, 0);
        assertThat(takenByEightThreads(b, i -> 0)).as("no token taken twice, none lost").isEqualTo(500);
    }

    @Test
    void threadsTakingWhileTimePassesGetNoMoreThanTheBurstAndTheRefill() throws Exception {
        TokenBucket b = new TokenBucket(1_000, 100, 0); // one token a millisecond
        // 0 to 9.99 ms, each thread at its own pace
        assertThat(takenByEightThreads(b, i -> i * 10_000L)).as("the burst, plus at most 9.99 ms of refill")
                .isBetween(100, 109);
    }

    @Test
    void refusesLimitsBelowOne() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
