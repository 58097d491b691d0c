package io.leopard.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.leopard.server.problem.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to the order and merchant store, migrated to the current schema when opened.
 * Every statement made through {@link #prepare} carries the query timeout, so a slow database
 * turns into an error in bounded time instead of a hung request. Connections are taken through a
 * {@link DatabaseBreaker}, so while the database is unreachable requests fail at once instead of
 * each waiting the connect timeout; stores report statement failures with {@link #failure}.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Database.class);
    /** How long {@link #isReachable()} may take: a readiness probe must answer quickly. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final HikariDataSource pool;
    private final DatabaseVendor vendor;
    private final int queryTimeoutSeconds;
    private final DatabaseBreaker breaker;

    private Database(HikariDataSource pool, DatabaseVendor vendor, Duration queryTimeout, DatabaseBreaker breaker) {
        this.pool = pool;
        this.vendor = vendor;
        this.breaker = breaker;
        // JDBC counts whole seconds; round up so 500ms still gets a timeout (0 would mean none).
        this.queryTimeoutSeconds = (int) Math.max(1, (queryTimeout.toMillis() + 999) / 1000);
    }

    /** Opens the configured database; for an embedded one, creates the data directory first. */
    public static Database open(DatabaseSettings settings) {
        if (settings.isEmbedded()) {
            try {
                Files.createDirectories(settings.dataDir());
            } catch (IOException e) {
                throw new ConfigException("cannot create data-dir " + settings.dataDir() + ": " + e.getMessage());
            }
        }
        return open(settings.url(), settings.user(), settings.password(), settings.poolSize(),
                settings.connectTimeout(), settings.queryTimeout(), settings.breakerOpen());
    }

    /**
     * Opens a pool on {@code url} and runs the migrations. An empty user or password is not sent,
     * so credentials inside the URL ({@code ?user=root}) keep working. {@code breakerOpen} is how
     * long connections are refused without asking the pool once the database looks unreachable.
     */
    public static Database open(String url, String user, String password, int poolSize,
                                Duration connectTimeout, Duration queryTimeout, Duration breakerOpen) {
        DatabaseVendor vendor = DatabaseVendor.fromUrl(url);
        HikariConfig hc = poolConfig(url, user, password, connectTimeout);
        hc.setPoolName("leopard");
        hc.setMaximumPoolSize(poolSize);
        // at most 10 kept open at rest: opening 32 embedded sessions at start-up slowed it down
        hc.setMinimumIdle(Math.min(poolSize, 10));
        applyDriverTimeouts(hc, vendor, connectTimeout, queryTimeout);
        applyBatchRewrite(hc, vendor);
        String shownUrl = DatabaseVendor.maskPassword(url);
        // Flyway holds a lock connection while it migrates on another, so migrations get a small
        // pool of their own: the main pool may be as small as one connection. It has no read
        // timeout: a migration may legitimately run long (an index on a big table).
        HikariConfig migration = poolConfig(url, user, password, connectTimeout);
        migration.setPoolName("leopard-migration");
        migration.setMaximumPoolSize(2);
        try (HikariDataSource ds = connect(migration, shownUrl)) {
            migrate(ds, vendor);
        }
        HikariDataSource pool = connect(hc, shownUrl);
        LOG.info("database {} ({}) ready, pool size {}", shownUrl, vendor, poolSize);
        // a trial call waits at most about the connect timeout for its connection; twice that
        // only bounds a trial that never reported back
        DatabaseBreaker breaker = new DatabaseBreaker(breakerOpen, connectTimeout.multipliedBy(2), Clock.systemUTC());
        return new Database(pool, vendor, queryTimeout, breaker);
    }

    /** Built afresh for each pool: HikariConfig.copyStateTo would share the driver properties. */
    private static HikariConfig poolConfig(String url, String user, String password, Duration connectTimeout) {
        HikariConfig hc = new HikariConfig();
        // The MariaDB driver refuses jdbc:mysql: unless told to; the scheme is only an alias here.
        hc.setJdbcUrl(url.startsWith("jdbc:mysql:") ? "jdbc:mariadb:" + url.substring("jdbc:mysql:".length()) : url);
        if (user != null && !user.isEmpty()) {
            hc.setUsername(user);
        }
        if (password != null && !password.isEmpty()) {
            hc.setPassword(password);
        }
        hc.setConnectionTimeout(Math.max(250, connectTimeout.toMillis()));
        hc.setValidationTimeout(Math.max(250, Math.min(1000, connectTimeout.toMillis())));
        return hc;
    }

    /**
     * Bounds what the statement timeout cannot: a server that stops answering mid-query (the
     * driver's cancel request may never arrive) or while a connection is being opened. The socket
     * read timeout is the query timeout plus one second, so an ordinary slow query still ends with
     * the statement timeout; opening a connection gets the connect timeout. Values already in the
     * URL win (the drivers give URL parameters precedence over these properties).
     */
    static void applyDriverTimeouts(HikariConfig hc, DatabaseVendor vendor, Duration connectTimeout, Duration queryTimeout) {
        long connectSeconds = Math.max(1, (connectTimeout.toMillis() + 999) / 1000);
        long socketSeconds = Math.max(1, (queryTimeout.toMillis() + 999) / 1000) + 1;
        switch (vendor) {
            case POSTGRESQL -> { // pgjdbc counts seconds
                hc.addDataSourceProperty("connectTimeout", Long.toString(connectSeconds));
                hc.addDataSourceProperty("loginTimeout", Long.toString(connectSeconds));
                hc.addDataSourceProperty("socketTimeout", Long.toString(socketSeconds));
                hc.addDataSourceProperty("cancelSignalTimeout", Long.toString(connectSeconds));
            }
            case MARIADB -> { // MariaDB Connector/J counts milliseconds
                hc.addDataSourceProperty("connectTimeout", Long.toString(connectSeconds * 1000));
                hc.addDataSourceProperty("socketTimeout", Long.toString(socketSeconds * 1000));
            }
            case H2 -> {
                // Embedded: no network in between, the query timeout is enough. H2 implements a
                // statement's setQueryTimeout as a SET command that invalidates every session's
                // compiled statements, so each pooled session gets its timeout once instead.
                hc.setConnectionInitSql("SET QUERY_TIMEOUT " + queryTimeout.toMillis());
            }
        }
    }

    /**
     * pgjdbc sends a JDBC batch of INSERTs as that many statements, each executed on its own; told
     * to, it rewrites them into multi-row INSERTs. The order import writes 1000-row insert batches:
     * a 300,000-row import into PostgreSQL took 13.0 s, 8.7 s with the rewrite (docs/PERFORMANCE.md,
     * I1). MariaDB's driver already sends a batch as one bulk command. A URL parameter still wins.
     */
    static void applyBatchRewrite(HikariConfig hc, DatabaseVendor vendor) {
        if (vendor == DatabaseVendor.POSTGRESQL) {
            hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
    }

    private static HikariDataSource connect(HikariConfig hc, String shownUrl) {
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to database " + shownUrl + ": " + withHint(rootMessage(e)), e);
        }
    }

    /**
     * H2's words for an embedded database another process holds, with what to do about it: the
     * running server keeps its file open, so admin commands on the embedded database need it stopped.
     */
    static String withHint(String message) {
        if (message == null) {
            return null;
        }
        if (message.contains("The file is locked") || message.contains("Database may be already in use")) {
            return message + " (another process has this embedded database open, usually a running Leopard:"
                    + " stop it first, or use PostgreSQL or MariaDB to run admin commands beside the server)";
        }
        return message + " (is the database running and reachable? check db.url, db.user and db.password)";
    }

    private static void migrate(DataSource ds, DatabaseVendor vendor) {
        try {
            Flyway.configure()
                    .dataSource(ds)
                    .locations("classpath:" + vendor.migrations())
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("database migration failed: " + rootMessage(e), e);
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    /** The query timeout applied to every statement, in whole seconds (at least 1). */
    public int queryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    /**
     * A connection from the pool; a failure becomes a {@link StoreException}, at once (without
     * asking the pool) while the database breaker is open.
     */
    public Connection connection() {
        try {
            return breaker.acquire(pool::getConnection);
        } catch (SQLException e) {
            throw new StoreException("no database connection: " + e.getMessage(), e);
        }
    }

    /**
     * The {@link StoreException} for a statement that failed with {@code e}; stores throw it. A
     * failure meaning the database is unreachable (a query or socket timeout, a broken
     * connection) counts towards opening the breaker.
     */
    public StoreException failure(String message, SQLException e) {
        breaker.failed(e);
        return new StoreException(message, e);
    }

    /**
     * Whether {@code e} says the database broke a deadlock (or a serialization failure) by rolling
     * this transaction back: PostgreSQL 40001/40P01, MariaDB 1213. A claim that loses one may simply
     * claim nothing this time.
     */
    public static boolean isDeadlock(SQLException e) {
        return "40001".equals(e.getSQLState()) || "40P01".equals(e.getSQLState()) || e.getErrorCode() == 1213;
    }

    /**
     * Prepares {@code sql} with the query timeout set, as every statement must be. On H2 the pooled
     * session already carries it (see {@link #applyDriverTimeouts}).
     */
    public PreparedStatement prepare(Connection c, String sql) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        if (vendor != DatabaseVendor.H2) {
            ps.setQueryTimeout(queryTimeoutSeconds);
        }
        return ps;
    }

    /**
     * Whether the database answers a validity check within about a second. For readiness probes:
     * never throws, never blocks longer than the probe timeout (the pool's own wait may be longer,
     * so the check runs on a virtual thread and is abandoned when late).
     */
    public boolean isReachable() {
        CompletableFuture<Boolean> probe = new CompletableFuture<>();
        // straight to the pool, never through the breaker: the probe must see the real database,
        // or /readyz could not come back by itself
        Thread.ofVirtual().name("leopard-db-probe").start(() -> {
            try (Connection c = pool.getConnection()) {
                probe.complete(c.isValid((int) PROBE_TIMEOUT.toSeconds()));
            } catch (Exception e) {
                probe.complete(false);
            }
        });
        try {
            boolean reachable = probe.get(PROBE_TIMEOUT.toMillis() + 200, TimeUnit.MILLISECONDS);
            if (reachable) {
                breaker.reachable();
            }
            return reachable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
