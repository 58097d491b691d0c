package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnswerNoiseTest {
    @Test
    void is32LettersAndDigits() {
        AnswerNoise noise = new AnswerNoise(2);
        for (int i = 0; i < 200; i++) {
            assertThat(noise.next()).matches("[A-Za-z0-9]{32}");
        }
    }

    @Test
    void oneGeneratorSharedByManyThreadsStillAnswersEachOnceAndDifferently() throws Exception {
        AnswerNoise noise = new AnswerNoise(1);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                all.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < 500; i++) {
                        assertThat(seen.add(noise.next())).as("a noise seen before").isTrue();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(seen).hasSize(16 * 500);
    }

    @Test
    void usesEveryLetterAndDigit() {
        AnswerNoise noise = new AnswerNoise(3);
        Set<Integer> chars = new java.util.HashSet<>();
        for (int i = 0; i < 300; i++) {
            noise.next().chars().forEach(chars::add);
        }
        assertThat(chars).as("62 letters and digits, none missing").hasSize(62);
    }

    @Test
    void withEveryGeneratorTakenItWaitsForOneAndGivesItBack() throws Exception {
        AnswerNoise noise = new AnswerNoise(2);
        noise.lockOf(0).lock();
        noise.lockOf(1).lock();
        java.util.concurrent.atomic.AtomicReference<String> got = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> got.set(noise.next()));
        while (!noise.lockOf(0).hasQueuedThreads() && !noise.lockOf(1).hasQueuedThreads()) {
            Thread.sleep(1); // no time limit: a hang is the failure
        }
        assertThat(got.get()).as("still waiting").isNull();
        noise.lockOf(0).unlock();
        noise.lockOf(1).unlock();
        waiter.join();
        assertThat(got.get()).matches("[A-Za-z0-9]{32}");
        assertThat(noise.lockOf(0).isLocked() || noise.lockOf(1).isLocked()).as("the waiter gave its generator back").isFalse();
    }

    @Test
    void needsAtLeastOneGenerator() {
        assertThatThrownBy(() -> new AnswerNoise(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
