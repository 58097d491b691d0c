package io.leopard.server.order;

import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of {@code orders} in step with an import that grows the
 * table inside its one transaction.
 *
 * <p>Why: autovacuum only counts committed rows, so during a first import into an empty table the
 * statistics keep saying "empty" (or "never analyzed") until the commit. The planner then guesses
 * that {@code mid = ?} picks a few hundred rows and answers the batch lookup
 * {@code mid = ? AND order_no IN (…)} with only the mid column of the (mid, order_no) index,
 * filtering every order of the merchant written so far: each batch reads all earlier ones, and the
 * import is quadratic (60,000 rows took 57 s on the 2-core bench host, 300,000 took 28 s with
 * custom plans forced). ANALYZE inside the transaction counts the transaction's own rows, after
 * which the lookup uses both index columns again (3 ms instead of 68 ms at 300,000 rows).
 *
 * <p>Candidates measured (docs/PERFORMANCE.md, "I1"): {@code plan_cache_mode=force_custom_plan} and
 * pgjdbc's {@code prepareThreshold=0} only stop a generic plan from being kept; the custom plans
 * they force are made from the same stale statistics and stay quadratic. {@code INSERT … ON
 * CONFLICT} would need the state machine, the fixed-field checks and the per-line reports of
 * {@link OrderMerge} rewritten in SQL, and still looks rows up by the same index. Refreshing the
 * statistics fixes the cause and keeps the Java rules as they are.
 *
 * <p>How often: whenever the table may have grown to more than twice what the statistics describe
 * (plus {@link #MIN_GROWTH}), so a load of n rows runs about log2(n / 1000) ANALYZEs, each a
 * bounded sample (30,000 rows at the default statistics target) of the three looked-up columns.
 * An import into a table whose statistics already describe it (one with history) runs none until
 * it doubles the table. ANALYZE takes no lock that blocks readers or writers, and a non-owner gets
 * a warning, not an error (and the old plan); SKIP_LOCKED needs PostgreSQL 12 or newer. H2 and
 * MariaDB need nothing, both measured linear: H2's lookup is a join on both index columns whatever
 * the counts, and InnoDB's estimates follow the transaction's own inserts (the lookup stays a
 * range on both columns; ImportPlanTest).
 */
final class LoadStatistics {
    private static final Logger LOG = LoggerFactory.getLogger(LoadStatistics.class);
    /** Growth below which a refresh is not worth its sample. */
    static final long MIN_GROWTH = 1000;

    /** For vendors that need no refresh. */
    private static final LoadStatistics NONE = new LoadStatistics(null, null, 0, false);

    private final Database database;
    private final Connection connection;
    private final boolean active;
    private final long atStart;
    private long described;
    private long inserted;
    private int refreshes;

    private LoadStatistics(Database database, Connection connection, long atStart, boolean active) {
        this.database = database;
        this.connection = connection;
        this.active = active;
        this.atStart = atStart;
        this.described = atStart;
    }

    /** Statistics keeping for a write transaction on {@code connection}; a no-op unless PostgreSQL. */
    static LoadStatistics start(Database database, Connection connection) throws SQLException {
        if (database.vendor() != DatabaseVendor.POSTGRESQL) {
            return NONE;
        }
        try (PreparedStatement ps = database.prepare(connection,
                "SELECT reltuples FROM pg_class WHERE oid = to_regclass('orders')");
             ResultSet rs = ps.executeQuery()) {
            // -1 means never analyzed (PostgreSQL 14+): treat it as describing nothing
            long rows = rs.next() ? Math.max(0, (long) rs.getDouble(1)) : 0;
            return new LoadStatistics(database, connection, rows, true);
        }
    }

    /** Records {@code rows} new orders written in this transaction; refreshes the statistics when due. */
    void inserted(long rows) throws SQLException {
        if (!active) {
            return;
        }
        inserted += rows;
        long now = atStart + inserted;
        if (now >= 2 * described + MIN_GROWTH) {
            // SKIP_LOCKED: should a VACUUM or another ANALYZE hold the table, waiting for it could
            // outlast the query timeout and fail the import; this refresh is skipped instead
            // inside a savepoint: the refresh is only an optimisation, so one that fails (cancelled
            // by the query timeout on slow storage, say) is rolled back alone and the import goes on
            Savepoint before = connection.setSavepoint();
            try (PreparedStatement ps = database.prepare(connection,
                    "ANALYZE (SKIP_LOCKED) orders (flow_no, mid, order_no)")) {
                ps.execute();
                connection.releaseSavepoint(before);
                refreshes++;
            } catch (SQLException e) {
                connection.rollback(before);
                LOG.warn("refreshing the orders table's statistics during the import failed, going on without: {}", e.getMessage());
            }
            described = now;
        }
    }

    /** How many times the statistics were refreshed (for tests). */
    int refreshes() {
        return refreshes;
    }
}
