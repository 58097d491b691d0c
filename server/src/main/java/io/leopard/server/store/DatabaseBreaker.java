package io.leopard.server.store;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fails fast while the database is unreachable. Without it every request of an outage waits the
 * whole {@code db.connect-timeout} for a connection before its {@code SYSTEM_ERROR}, so a merchant
 * polling one request at a time gets one answer per timeout. A resilience4j circuit breaker sits
 * on connection acquisition: once it has seen the database unreachable a few times it opens, and
 * {@link #acquire} throws a {@link StoreException} at once instead of asking the pool.
 *
 * <p>What counts: one call per connection taken from the pool, a failure when taking it fails
 * in a way that means "unreachable" ({@link #meansUnreachable}); statements that fail that way on
 * a connection already taken are reported through {@link #failed} and count as one more failure
 * (a database that stops answering mid-query still hands out connections used less than 500 ms
 * ago, which the pool does not re-validate). Application errors (a constraint violation, bad SQL)
 * count as the database answering. A pool exhausted by load times out the same way and opens it
 * too: for one open period the node then sheds load at once instead of queueing it.
 *
 * <p>The numbers, chosen for a merchant polling serially as much as for load:
 * <ul>
 *   <li>a count-based window of the last {@value #WINDOW} calls, opening at
 *   {@value #FAILURE_PERCENT}% failures once {@value #MINIMUM_CALLS} calls are in it: three
 *   unreachable failures in a row open it (3 of 5), whatever came before, so a serial merchant
 *   pays the timeout three times, not forever; under load one or two slow queries of five do not.
 *   (Until five calls are in the window, after start-up or a close, 2 failures of 3 are enough.)
 *   A time-based window would need several calls per second to decide, which a serial merchant
 *   during an outage does not make.</li>
 *   <li>open for {@code db.breaker-open} (1 s by default): short, because the cost of reopening
 *   too early is one request waiting the timeout while every other is still short-circuited, and
 *   the cost of staying open too long is refusing a database that is back.</li>
 *   <li>then half-open with one trial call: it takes a connection for real; if that works the
 *   breaker closes and service resumes, otherwise it opens again for another period. The trial
 *   pays at most the connect timeout, and {@code maxWaitDurationInHalfOpenState} (resilience4j's
 *   timer, a daemon thread) bounds how long a lost trial could keep the breaker half-open.</li>
 * </ul>
 * The readiness probe never goes through the breaker (it must see the real database, or
 * {@code /readyz} could not come back by itself); when it succeeds, {@link #reachable} half-opens the
 * breaker early.
 *
 * <p>Logs once when it opens (WARN) and once when it closes again (INFO, with how many calls were
 * short-circuited). No metrics: nothing here has the server's meter registry.
 */
final class DatabaseBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseBreaker.class);
    static final int WINDOW = 5;
    static final int MINIMUM_CALLS = 3;
    static final int FAILURE_PERCENT = 60;

    /** Acquires a connection; the pool's own call, which may throw. */
    @FunctionalInterface
    interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private final CircuitBreaker breaker;
    private final Duration openFor;
    private final Clock clock;
    private final AtomicLong shortCircuited = new AtomicLong();
    private volatile Instant openedAt;

    /**
     * @param openFor how long the breaker stays open before a trial call
     * @param trialBound how long a half-open trial may stay unanswered before the breaker opens again
     * @param clock the clock of the open state (tests move it instead of sleeping)
     */
    DatabaseBreaker(Duration openFor, Duration trialBound, Clock clock) {
        this.openFor = openFor;
        this.clock = clock;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(WINDOW)
                .minimumNumberOfCalls(MINIMUM_CALLS)
                .failureRateThreshold(FAILURE_PERCENT)
                .waitDurationInOpenState(openFor)
                .permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(trialBound)
                // slow calls are bounded by the timeouts already; only failures decide
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .recordException(DatabaseBreaker::meansUnreachable)
                .clock(clock)
                .build();
        this.breaker = CircuitBreaker.of("leopard-db", config);
        breaker.getEventPublisher().onStateTransition(e -> {
            switch (e.getStateTransition()) {
                case CLOSED_TO_OPEN -> opened();
                case OPEN_TO_CLOSED, HALF_OPEN_TO_CLOSED -> closed();
                default -> LOG.debug("database breaker {}", e.getStateTransition());
            }
        });
    }

    /**
     * A connection from {@code pool}, or a {@link StoreException} at once while the breaker is open
     * (or a trial call is under way). Failures taking the connection are counted, then rethrown.
     */
    Connection acquire(ConnectionSource pool) throws SQLException {
        if (!breaker.tryAcquirePermission()) {
            shortCircuited.incrementAndGet();
            throw StoreException.shortCircuited("database unavailable, short-circuited: the database breaker is open after repeated failures");
        }
        long start = System.nanoTime();
        try {
            Connection c = pool.get();
            breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return c;
        } catch (SQLException e) {
            // the config's predicate tells unreachable (a failure) from an answer (a success)
            breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        } catch (RuntimeException | Error e) {
            breaker.releasePermission();
            throw e;
        }
    }

    /** A statement failed on a connection already taken: counted when it means unreachable. */
    void failed(SQLException e) {
        if (meansUnreachable(e)) {
            breaker.onError(0, TimeUnit.NANOSECONDS, e);
        }
    }

    /** The readiness probe reached the database: no need to wait for a trial call. */
    void reachable() {
        // only lets the next call be the trial: a database that accepts connections may still time
        // out every statement (a lock, a full disk), and /readyz is unauthenticated, so a probe
        // alone must not close the breaker on merchants
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            breaker.transitionToHalfOpenState();
        }
    }

    CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** Calls refused without asking the pool since the breaker last opened. */
    long shortCircuited() {
        return shortCircuited.get();
    }

    /**
     * Whether {@code e} says the database could not be reached or did not answer in time, as
     * opposed to an answer such as a constraint violation: a pool timeout, a connection refused or
     * broken (SQLState class 08), a socket or query timeout (SQLState 57014 is a statement
     * cancelled, which only the query timeout does here). Looks through the causes, where the pool
     * puts the driver's reason.
     */
    static boolean meansUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLTimeoutException || t instanceof SQLRecoverableException
                    || t instanceof ConnectException || t instanceof SocketTimeoutException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().equals("57014"))) {
                return true;
            }
        }
        return false;
    }

    private void opened() {
        openedAt = clock.instant();
        shortCircuited.set(0);
        LOG.warn("database unreachable {} times of the last {} calls: the database breaker is open, queries answer "
                        + "SYSTEM_ERROR at once, one trial call every {} ms until it answers",
                breaker.getMetrics().getNumberOfFailedCalls(), breaker.getMetrics().getNumberOfBufferedCalls(),
                openFor.toMillis());
    }

    private void closed() {
        Instant since = openedAt;
        long ms = since == null ? 0 : Duration.between(since, clock.instant()).toMillis();
        LOG.info("database answers again: the database breaker is closed after {} ms, {} calls short-circuited",
                ms, shortCircuited.get());
    }
}
