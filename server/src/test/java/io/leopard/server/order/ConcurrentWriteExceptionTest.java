package io.leopard.server.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** Which database failures mean "another writer won" (write again) rather than "the database failed". */
class ConcurrentWriteExceptionTest {
    @Test
    void keysTakenMeanwhileDeadlocksAndLockWaitsAreRaces() {
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("dup", "23505"))).as("PostgreSQL unique").isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("dup", "23000", 1062))).as("MariaDB duplicate").isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("serialization", "40001"))).isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("h2", "HY000", 90131))).as("H2 concurrent update").isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("h2", "HYT00", 50200))).as("H2 lock timeout").isTrue();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("lock wait", "HY000", 1205))).as("MariaDB lock wait").isTrue();
    }

    @Test
    void aRaceReportedInsideABatchIsFoundInItsChainOrCause() {
        BatchUpdateException batch = new BatchUpdateException("batch", "HY000", 0, new int[0]);
        batch.setNextException(new SQLException("dup", "23505"));
        assertThat(ConcurrentWriteException.isConcurrency(batch)).isTrue();
        SQLException wrapped = new SQLException("wrapped", "HY000", 0, new SQLException("deadlock", "40P01"));
        assertThat(ConcurrentWriteException.isConcurrency(wrapped)).isTrue();
    }

    @Test
    void anUnreachableOrBrokenDatabaseIsNoRace() {
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("refused", "08001"))).isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("timeout", "57014"))).isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("no state"))).isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("check", "23514"))).as("PostgreSQL CHECK").isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("check", "23000", 4025))).as("MariaDB CHECK").isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("not null", "23502"))).isFalse();
        assertThat(ConcurrentWriteException.isConcurrency(new SQLException("other", "HY000", 1146,
                new SQLException("also not", "42P01")))).isFalse();
    }
}
