package io.leopard.server.query;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Bounds how many batch queries are worked on at once, and lets the others in first come, first
 * served.
 *
 * <p>Why: every request runs on a virtual thread, and the virtual threads share as many carrier
 * threads as there are cores. A batch costs some hundred microseconds of CPU, most of it in the
 * database when that is embedded. Let all 32 of a load generator's batches in at once and each is
 * a little way through its work, runnable among 31 others; the scheduler is a work-stealing pool
 * whose workers run their own queue dry before they look at the others' or at the shared one, so
 * it serves them in no promised order and some wait many turns. At saturation on the embedded
 * database the batch endpoint's p99 was 790–1,230 ms against a p50 of 6 ms (docs/PERFORMANCE.md,
 * "The batch tail"). Behind a fair semaphore with as many permits as the work can use, the waiting
 * batches are parked in one first-come-first-served queue instead, and the few that hold a permit
 * run to their end without that crowd around them. Single queries do not pass this gate; the
 * batches they share the carriers with are the few inside and those still parsing or already
 * writing their answer, not all of them.
 *
 * <p>Only the work on the server's own CPU and database belongs inside: a batch that waits on
 * something slower (a payment channel) steps out through {@link Pass#awayWhile} and queues again
 * after, so that a slow channel never holds a permit. Waiting for a permit is not interruptible:
 * it is bounded by the work ahead, which the database's query timeout bounds; an interrupt is kept
 * for the caller.
 *
 * <p>While batches wait at the gate, every {@value #RELEASE_FROM_PLATFORM_EVERY}th release is
 * handed on by a platform thread, not by the batch leaving. A permit released on a carrier wakes
 * the next batch in that carrier's own queue, so while batches wait each carrier's queue never
 * runs dry, and the scheduler's shared queue waits: that is where the read poller lands when the
 * master poller wakes it, so the connections whose next request has arrived wait too. In the runs
 * measured, that wait between one answer and the handler of the next request was most of T2's
 * tail (p99 171 ms, p99.9 405 ms, with the handler's own p99 at 17–44 ms; 2 cores, JDK 25). A
 * release from a platform thread puts the next batch in the shared queue, behind whatever waits
 * there, and the carriers serve it in turn: with one release in four handed on, T2's p99 was
 * 21–37 ms in every run, at the same throughput and CPU per batch (docs/PERFORMANCE.md, "The batch
 * tail").
 */
final class BatchGate {
    /** One release in this many is done by {@link #PLATFORM_RELEASER}. */
    static final int RELEASE_FROM_PLATFORM_EVERY = 4;

    /** One daemon platform thread for the whole process: a release is all it ever does. */
    private static final ExecutorService PLATFORM_RELEASER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "leopard-batch-gate");
        t.setDaemon(true);
        return t;
    });

    /** {@code null}: no bound, every batch comes in at once. */
    private final Semaphore permits;
    private final Executor releaser;
    private final int releaseFromPlatformEvery;
    private final AtomicLong releases = new AtomicLong();

    /** A gate letting {@code permits} batches in at once; 0: no gate at all. */
    BatchGate(int permits) {
        this(permits, PLATFORM_RELEASER, RELEASE_FROM_PLATFORM_EVERY);
    }

    /** As {@link #BatchGate(int)}, one release in {@code every} (at least 1) run by {@code releaser}. */
    BatchGate(int permits, Executor releaser, int every) {
        if (permits < 0) {
            throw new IllegalArgumentException("permits < 0: " + permits);
        }
        if (every < 1) {
            throw new IllegalArgumentException("every < 1: " + every);
        }
        this.permits = permits == 0 ? null : new Semaphore(permits, true);
        this.releaser = releaser;
        this.releaseFromPlatformEvery = every;
    }

    /** How many batches are waiting to come in (an estimate, for tests). */
    int waiting() {
        return permits == null ? 0 : permits.getQueueLength();
    }

    /** Waits its turn and comes in; the pass must be closed (try-with-resources) to let the next one in. */
    Pass enter() {
        if (permits != null) {
            permits.acquireUninterruptibly();
        }
        return new Pass();
    }

    private void release() {
        if (permits == null) {
            return;
        }
        // only a release that wakes a waiting batch keeps a carrier's queue from running dry
        if (permits.hasQueuedThreads() && releases.incrementAndGet() % releaseFromPlatformEvery == 0) {
            try {
                releaser.execute(permits::release);
                return;
            } catch (RejectedExecutionException e) {
                // never with the process's own releaser; a permit is never lost: release it here
            }
        }
        permits.release();
    }

    private void acquire() {
        if (permits != null) {
            permits.acquireUninterruptibly();
        }
    }

    /** Being inside the gate: one permit, held until {@link #close()}. */
    final class Pass implements AutoCloseable {
        private boolean inside = true;

        private Pass() {
        }

        /**
         * Runs {@code slow} outside the gate (its permit handed on to the next batch) and comes in
         * again, at the back of the queue, before it returns or throws.
         */
        <T> T awayWhile(Supplier<T> slow) {
            if (!inside) {
                throw new IllegalStateException("the pass is closed");
            }
            inside = false;
            release();
            try {
                return slow.get();
            } finally {
                acquire();
                inside = true;
            }
        }

        @Override
        public void close() {
            if (inside) {
                inside = false;
                release();
            }
        }
    }
}
