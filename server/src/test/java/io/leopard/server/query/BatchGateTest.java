package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the gate promises: a bound, first come first served, and stepping out while waiting elsewhere. No clocks. */
class BatchGateTest {

    /** Waits (without a time limit: a hang is the failure) until {@code n} threads queue at the gate. */
    private static void untilWaiting(BatchGate gate, int n) throws InterruptedException {
        while (gate.waiting() < n) {
            Thread.sleep(1);
        }
    }

    /** Runs {@code work} inside the gate. */
    private static void inside(BatchGate gate, Runnable work) {
        BatchGate.Pass pass = gate.enter();
        try {
            work.run();
        } finally {
            pass.close();
        }
    }

    @Test
    void noMoreThanItsPermitsAreInsideAtOnce() throws Exception {
        BatchGate gate = new BatchGate(2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 50; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int k = 0; k < 20; k++) {
                    inside(gate, () -> {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield();
                        inside.decrementAndGet();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(most.get()).isBetween(1, 2);
        assertThat(inside.get()).isZero();
    }

    @Test
    void aFullGateHoldsTheNextOneUntilAPassCloses() throws Exception {
        BatchGate gate = new BatchGate(2);
        BatchGate.Pass first = gate.enter();
        BatchGate.Pass second = gate.enter();
        AtomicBoolean entered = new AtomicBoolean();
        Thread third = Thread.ofVirtual().start(() -> {
            inside(gate, () -> {
                entered.set(true);
            });
        });
        untilWaiting(gate, 1);
        assertThat(entered).isFalse();
        first.close();
        third.join();
        assertThat(entered).isTrue();
        second.close();
    }

    @Test
    void waitingBatchesComeInInTheOrderTheyArrived() throws Exception {
        BatchGate gate = new BatchGate(1);
        List<String> order = new CopyOnWriteArrayList<>();
        BatchGate.Pass held = gate.enter();
        Thread[] threads = new Thread[5];
        for (int i = 0; i < threads.length; i++) {
            String name = "batch-" + i;
            threads[i] = Thread.ofVirtual().start(() -> {
                inside(gate, () -> {
                    order.add(name);
                });
            });
            untilWaiting(gate, i + 1); // each one queued before the next arrives
        }
        held.close();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(order).containsExactly("batch-0", "batch-1", "batch-2", "batch-3", "batch-4");
    }

    @Test
    void stepsOutWhileWaitingElsewhereAndComesBackIn() throws Exception {
        BatchGate gate = new BatchGate(1);
        AtomicBoolean otherRanMeanwhile = new AtomicBoolean();
        BatchGate.Pass pass = gate.enter();
        {
            String got = pass.awayWhile(() -> {
                // the permit is free: another batch gets in and out while this one waits on its channel
                Thread other = Thread.ofVirtual().start(() -> {
                    inside(gate, () -> {
                        otherRanMeanwhile.set(true);
                    });
                });
                try {
                    other.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return "synced";
            });
            assertThat(got).isEqualTo("synced");
            assertThat(otherRanMeanwhile).isTrue();
            // back inside: the only permit is this one's again
            AtomicBoolean entered = new AtomicBoolean();
            Thread late = Thread.ofVirtual().start(() -> {
                inside(gate, () -> {
                    entered.set(true);
                });
            });
            untilWaiting(gate, 1);
            assertThat(entered).isFalse();
            pass.close();
            late.join();
            assertThat(entered).isTrue();
        }
    }

    @Test
    void comesBackInWhenTheWorkOutsideFailsAndClosingTwiceReleasesOnce() {
        BatchGate gate = new BatchGate(1);
        BatchGate.Pass pass = gate.enter();
        assertThatThrownBy(() -> pass.awayWhile(() -> {
            throw new IllegalStateException("channel down");
        })).hasMessage("channel down");
        assertThat(gate.waiting()).isZero();
        pass.close();
        pass.close();
        assertThatThrownBy(() -> pass.awayWhile(() -> "x")).isInstanceOf(IllegalStateException.class);
        // exactly one permit: one pass can be had, and it is the only one
        try (BatchGate.Pass again = gate.enter()) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void anInterruptWhileWaitingIsKeptNotLost() throws Exception {
        BatchGate gate = new BatchGate(1);
        BatchGate.Pass held = gate.enter();
        AtomicBoolean interruptedInside = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().start(() -> {
            inside(gate, () -> {
                interruptedInside.set(Thread.currentThread().isInterrupted());
            });
        });
        untilWaiting(gate, 1);
        waiter.interrupt();
        held.close();
        waiter.join();
        assertThat(interruptedInside).isTrue();
    }

    /** One release that wakes a waiting batch (the holder's), then one that wakes nobody (the waiter's own). */
    private static void releaseWithOneWaiting(BatchGate gate) throws InterruptedException {
        BatchGate.Pass held = gate.enter();
        Thread waiter = Thread.ofVirtual().start(() -> inside(gate, () -> {
        }));
        untilWaiting(gate, 1);
        held.close();
        waiter.join(); // a lost permit leaves it waiting for good
    }

    /** The gate of one permit lets exactly one batch in: a second one waits until the first leaves. */
    private static void assertOnePermit(BatchGate gate) throws InterruptedException {
        BatchGate.Pass held = gate.enter();
        AtomicBoolean entered = new AtomicBoolean();
        Thread second = Thread.ofVirtual().start(() -> inside(gate, () -> entered.set(true)));
        untilWaiting(gate, 1);
        assertThat(entered).as("a permit counted twice would let it in").isFalse();
        held.close();
        second.join();
        assertThat(entered).isTrue();
    }

    @Test
    void everyFewReleasesThatWakeABatchArePassedToAPlatformThreadAndNoneIsLostOrDoubled() throws Exception {
        AtomicInteger byReleaser = new AtomicInteger();
        java.util.concurrent.ExecutorService platform = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            BatchGate gate = new BatchGate(1, release -> {
                byReleaser.incrementAndGet();
                platform.execute(release);
            }, 2);
            for (int i = 0; i < 6; i++) {
                gate.enter().close();
            }
            assertThat(byReleaser).as("nobody waiting: every release is the batch's own").hasValue(0);
            releaseWithOneWaiting(gate);
            assertThat(byReleaser).as("the 1st release with a batch waiting").hasValue(0);
            releaseWithOneWaiting(gate);
            assertThat(byReleaser).as("the 2nd").hasValue(1);
            releaseWithOneWaiting(gate);
            releaseWithOneWaiting(gate);
            assertThat(byReleaser).as("the 4th").hasValue(2);
            assertOnePermit(gate);
        } finally {
            platform.shutdownNow();
        }
    }

    @Test
    void aReleaserThatRefusesDoesNotCostAPermit() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        BatchGate gate = new BatchGate(1, release -> {
            refused.incrementAndGet();
            throw new java.util.concurrent.RejectedExecutionException("shut down");
        }, 1);
        releaseWithOneWaiting(gate);
        assertThat(refused).as("it was asked").hasValue(1);
        assertOnePermit(gate);
        assertThatThrownBy(() -> new BatchGate(1, Runnable::run, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutPermitsThereIsNoGate() throws Exception {
        BatchGate open = new BatchGate(0);
        BatchGate.Pass first = open.enter();
        BatchGate.Pass second = open.enter();
        assertThat(first.awayWhile(() -> "synced")).isEqualTo("synced");
        assertThat(open.waiting()).isZero();
        first.close();
        second.close();
        assertThatThrownBy(() -> new BatchGate(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
