package io.leopard.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the process when an orderly shutdown takes longer than it may. SIGTERM starts the server's
 * shutdown (drain, stop accepting, let in-flight requests finish within the grace, close the
 * pool); if anything in it hangs (a wedged connection, a database that never answers the pool's
 * close, a JVM short of memory) a service manager would wait, then kill -9. This deadline halts
 * the JVM itself once {@code shutdown.drain + shutdown.grace} and a margin have passed.
 */
public final class ShutdownDeadline {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownDeadline.class);
    /**
     * Exit status when the deadline ends the process (EX_SOFTWARE): unlike 143, which an orderly
     * stop on SIGTERM ends with, it tells a supervisor that the shutdown had to be cut short.
     */
    public static final int EXIT_STATUS = 70;
    /** What is left for the JVM after the shutdown: within it, the 2 s bound. */
    static final Duration MARGIN = Duration.ofMillis(1500);

    private final CountDownLatch done = new CountDownLatch(1);
    private final Duration limit;
    private final Runnable halt;

    /**
     * @param drainAndGrace the longest the shutdown may take by configuration
     * @param halt          what ends the process (the JVM's halt; something else in tests)
     */
    public ShutdownDeadline(Duration drainAndGrace, Runnable halt) {
        this.limit = drainAndGrace.plus(MARGIN);
        this.halt = halt;
    }

    /** A deadline that halts this JVM with {@link #EXIT_STATUS}. */
    public static ShutdownDeadline forThisJvm(Duration drainAndGrace) {
        return new ShutdownDeadline(drainAndGrace, () -> Runtime.getRuntime().halt(EXIT_STATUS));
    }

    /** Starts counting on a daemon thread; {@link #done()} stops it. */
    public ShutdownDeadline start() {
        Thread t = new Thread(this::await, "leopard-shutdown-deadline");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** The shutdown finished in time. */
    public void done() {
        done.countDown();
    }

    /** Waits for {@link #done()} or the limit, whichever comes first; halts in the second case. */
    void await() {
        try {
            if (done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.error("shutdown did not finish within {} ms: halting", limit.toMillis());
        halt.run();
    }

    Duration limit() {
        return limit;
    }
}
