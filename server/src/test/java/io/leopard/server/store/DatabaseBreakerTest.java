package io.leopard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The breaker's state machine on a clock the test moves: no sleeps, no database. */
class DatabaseBreakerTest {
    private static final Duration OPEN = Duration.ofSeconds(1);
    /** What Hikari throws when no connection came within the connect timeout. */
    private static final SQLException POOL_TIMEOUT = new SQLTransientConnectionException(
            "leopard - Connection is not available, request timed out after 2000ms",
            new SQLException("Connection to 127.0.0.1:5432 refused", "08001", new ConnectException("Connection refused")));
    private static final SQLException QUERY_TIMEOUT = new SQLException("ERROR: canceling statement due to statement timeout", "57014");
    private static final SQLException DUPLICATE = new SQLIntegrityConstraintViolationException("duplicate key", "23505");

    private final MovableClock clock = new MovableClock();
    private final DatabaseBreaker breaker = new DatabaseBreaker(OPEN, Duration.ofSeconds(4), clock);
    private final AtomicInteger poolCalls = new AtomicInteger();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(DatabaseBreaker.class);

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    @Test
    void threeUnreachableInARowOpenItThenCallsFailWithoutAskingThePool() throws Exception {
        succeed(10);
        fail(2);
        assertThat(breaker.state()).as("two failures after successes").isEqualTo(State.CLOSED);
        fail(1);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
        int before = poolCalls.get();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> breaker.acquire(this::connection))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("database unavailable, short-circuited")
                    .satisfies(e -> assertThat(((StoreException) e).isShortCircuited()).isTrue());
        }
        assertThat(poolCalls.get()).as("the pool is not asked while open").isEqualTo(before);
        assertThat(breaker.shortCircuited()).isEqualTo(20);
    }

    @Test
    void scatteredFailuresAndApplicationErrorsLeaveItClosed() throws Exception {
        // two failures in every five calls: a database that answers, with a few slow moments
        for (int round = 0; round < 10; round++) {
            succeed(3);
            fail(2);
        }
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> breaker.acquire(() -> {
                throw DUPLICATE;
            })).isSameAs(DUPLICATE);
            breaker.failed(DUPLICATE);
            breaker.failed(new SQLSyntaxErrorException("syntax error", "42601"));
        }
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        assertThat(breaker.shortCircuited()).isZero();
        assertThat(new StoreException("order lookup failed", DUPLICATE).isShortCircuited()).isFalse();
    }

    @Test
    void statementTimeoutsOnConnectionsTheyGotCountToo() throws Exception {
        // a database that froze mid-query: connections still come (recently used ones are not
        // re-validated), their statements time out
        for (int i = 0; i < 3; i++) {
            breaker.acquire(this::connection);
            breaker.failed(QUERY_TIMEOUT);
        }
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    @Test
    void afterTheOpenPeriodOneTrialCallDecides() throws Exception {
        openIt();
        clock.advance(OPEN.minusMillis(1));
        assertThatThrownBy(() -> breaker.acquire(this::connection)).isInstanceOf(StoreException.class);

        clock.advance(Duration.ofMillis(2));
        // the trial goes to the pool; while it waits there, every other call is still refused
        AtomicInteger refusedMeanwhile = new AtomicInteger();
        assertThatThrownBy(() -> breaker.acquire(() -> {
            poolCalls.incrementAndGet();
            assertThatThrownBy(() -> breaker.acquire(this::connection)).isInstanceOf(StoreException.class);
            refusedMeanwhile.incrementAndGet();
            throw POOL_TIMEOUT;
        })).isSameAs(POOL_TIMEOUT);
        assertThat(refusedMeanwhile).hasValue(1);
        assertThat(breaker.state()).as("the trial failed").isEqualTo(State.OPEN);
        assertThatThrownBy(() -> breaker.acquire(this::connection)).isInstanceOf(StoreException.class);

        clock.advance(OPEN.plusMillis(1));
        int before = poolCalls.get();
        assertThat(breaker.acquire(this::connection)).isNull(); // the fake pool's connection
        assertThat(poolCalls.get()).isEqualTo(before + 1);
        assertThat(breaker.state()).as("the trial worked").isEqualTo(State.CLOSED);
        succeed(5);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void logsOnceWhenItOpensAndOnceWhenItClosesAgain() throws Exception {
        openIt();
        for (int i = 0; i < 3; i++) { // three failed trials: still one outage
            clock.advance(OPEN.plusMillis(1));
            fail(1);
        }
        // a short-circuited call, counted in the closing line
        assertThatThrownBy(() -> breaker.acquire(this::connection)).isInstanceOf(StoreException.class);
        clock.advance(OPEN.plusMillis(1));
        breaker.acquire(this::connection);
        assertThat(breaker.state()).isEqualTo(State.CLOSED);

        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).extracting(ILoggingEvent::getLevel)
                .containsExactly(Level.WARN, Level.INFO);
        assertThat(log.list.get(0).getFormattedMessage()).contains("breaker is open").contains("1000 ms");
        assertThat(log.list.get(log.list.size() - 1).getFormattedMessage()).contains("closed after 4004 ms, 1 calls short-circuited");
    }

    @Test
    void aSuccessfulProbeLetsTheNextCallBeTheTrialButNeverClosesItAlone() throws Exception {
        breaker.reachable();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
        openIt();
        breaker.reachable();
        assertThat(breaker.state()).as("a database that accepts connections may still time out every statement")
                .isEqualTo(State.HALF_OPEN);
        breaker.reachable();
        assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.acquire(this::connection)).isNull();
        assertThat(breaker.state()).as("the trial decides").isEqualTo(State.CLOSED);
    }

    @Test
    void aRuntimeFailureOfATrialDoesNotKeepItHalfOpen() throws Exception {
        openIt();
        clock.advance(OPEN.plusMillis(1));
        assertThatThrownBy(() -> breaker.acquire(() -> {
            throw new IllegalStateException("pool closed");
        })).isInstanceOf(IllegalStateException.class);
        // the permit came back: the next call is the trial, not refused
        assertThat(breaker.acquire(this::connection)).isNull();
        assertThat(breaker.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void unreachableMeansTimeoutsAndConnectionFailuresNotAnswers() {
        assertThat(DatabaseBreaker.meansUnreachable(POOL_TIMEOUT)).isTrue();
        assertThat(DatabaseBreaker.meansUnreachable(QUERY_TIMEOUT)).isTrue();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLException("An I/O error occurred", "08006",
                new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLTimeoutException("Query timed out", "70100"))).isTrue();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLException("wrapped", new ConnectException("refused")))).isTrue();

        assertThat(DatabaseBreaker.meansUnreachable(DUPLICATE)).isFalse();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLSyntaxErrorException("syntax error", "42601"))).isFalse();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLException("password authentication failed", "28P01"))).isFalse();
        assertThat(DatabaseBreaker.meansUnreachable(new SQLException("no state"))).isFalse();
    }

    private void openIt() throws Exception {
        fail(3);
        assertThat(breaker.state()).isEqualTo(State.OPEN);
    }

    private void succeed(int times) throws Exception {
        for (int i = 0; i < times; i++) {
            breaker.acquire(this::connection);
        }
    }

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            assertThatThrownBy(() -> breaker.acquire(() -> {
                poolCalls.incrementAndGet();
                throw POOL_TIMEOUT;
            })).isSameAs(POOL_TIMEOUT);
        }
    }

    /** The fake pool: counts the call, hands out no real connection. */
    private Connection connection() {
        poolCalls.incrementAndGet();
        return null;
    }

    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
