package io.leopard.server.order;

import java.sql.SQLException;

/**
 * Another transaction wrote one of the orders of a write between its read and its commit: an
 * update found the order at another version, a change's (flowNo, version) or a new order's keys
 * were taken first, or the database broke a deadlock or a lock wait. Nothing of the write is kept;
 * writing again reads what won and applies the write on top of it.
 */
final class ConcurrentWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** H2's "concurrent update" (an MVCC write-write conflict) and its lock timeout; MariaDB's lock wait timeout. */
    private static final int H2_CONCURRENT_UPDATE = 90131;
    private static final int H2_LOCK_TIMEOUT = 50200;
    private static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB's duplicate key (its SQLSTATE, 23000, is shared with other integrity violations such as a CHECK). */
    private static final int MARIADB_DUPLICATE_KEY = 1062;

    ConcurrentWriteException(String message) {
        super(message);
    }

    ConcurrentWriteException(SQLException cause) {
        super("a concurrent write: " + cause.getMessage(), cause);
    }

    /**
     * Whether {@code e} (or one chained to it, as batches report) says the write lost a race rather
     * than that the database failed: a unique key taken meanwhile (23505; every key was looked up
     * first), a serialization failure or deadlock (40001, 40P01), or a lock wait given up. Other
     * integrity violations (a CHECK, a NOT NULL) are refusals of the data, not races.
     */
    static boolean isConcurrency(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if (isConcurrencyItself(x) || (x.getCause() instanceof SQLException c && isConcurrencyItself(c))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConcurrencyItself(SQLException x) {
        String state = x.getSQLState();
        if (state != null && (state.equals("23505") || state.equals("40001") || state.equals("40P01"))) {
            return true;
        }
        int code = x.getErrorCode();
        return code == H2_CONCURRENT_UPDATE || code == H2_LOCK_TIMEOUT || code == MARIADB_LOCK_WAIT_TIMEOUT
                || code == MARIADB_DUPLICATE_KEY;
    }
}
