package io.leopard.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.testing.FaultyProxy;
import io.leopard.server.testing.FileLockHolder;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatabaseTest {
    @TempDir
    Path dir;

    @Test
    void vendorComesFromTheUrl() {
        assertThat(DatabaseVendor.fromUrl("jdbc:h2:mem:x")).isEqualTo(DatabaseVendor.H2);
        assertThat(DatabaseVendor.fromUrl("jdbc:postgresql://h/db")).isEqualTo(DatabaseVendor.POSTGRESQL);
        assertThat(DatabaseVendor.fromUrl("jdbc:mariadb://h/db")).isEqualTo(DatabaseVendor.MARIADB);
        assertThat(DatabaseVendor.fromUrl("jdbc:mysql://h/db")).isEqualTo(DatabaseVendor.MARIADB);
        assertThatThrownBy(() -> DatabaseVendor.fromUrl("jdbc:oracle:thin:@h?password=secret"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("jdbc:postgresql:")
                .message().doesNotContain("secret");
    }

    @Test
    void anEmbeddedDatabaseHeldByAnotherProcessSaysWhatToDo() throws Exception {
        DatabaseSettings config = DatabaseSettings.embedded(dir);
        Database.open(config).close();
        // another process locks the file as a running server does (H2 locks the whole .mv.db)
        Process holder = FileLockHolder.hold(dir.resolve("leopard.mv.db"));
        try {
            assertThatThrownBy(() -> Database.open(config).close())
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("cannot connect to database")
                    .hasMessageContaining("The file is locked")
                    .hasMessageContaining("usually a running Leopard: stop it first");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
            holder.destroyForcibly();
        }
        Database.open(config).close();
    }

    @Test
    void onlyH2sLockMessagesGetTheHint() {
        assertThat(Database.withHint("The file is locked: /d/leopard.mv.db [2.5.252/7]")).contains("stop it first");
        assertThat(Database.withHint("Connection refused")).startsWith("Connection refused").contains("is the database running");
        assertThat(Database.withHint(null)).isNull();
    }

    @Test
    void theEmbeddedDefaultCreatesItsDataDirectory() {
        try (Database db = Database.open(DatabaseSettings.embedded(dir.resolve("a/b")))) {
            assertThat(db.vendor()).isEqualTo(DatabaseVendor.H2);
            assertThat(db.isReachable()).isTrue();
            assertThat(db.queryTimeoutSeconds()).isEqualTo(3);
        }
        assertThat(dir.resolve("a/b")).isDirectory();
    }

    @Test
    void anUnreachableDatabaseFailsFastWithAStoreException() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/none", "u", "secret", 1,
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .isInstanceOf(StoreException.class).hasMessageContaining("cannot connect")
                .message().doesNotContain("secret");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void migratesOnceAndReportsReachability(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            Database db = t.database();
            assertThat(db.vendor()).isEqualTo(vendor);
            assertThat(db.isReachable()).isTrue();
            try (Connection c = db.connection();
                 PreparedStatement ps = db.prepare(c, "SELECT COUNT(*) FROM orders");
                 ResultSet rs = ps.executeQuery()) {
                assertThat(ps.getQueryTimeout()).isEqualTo(10);
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
            // opening again finds the schema current and changes nothing
            Database.open(t.url(), t.config(Map.of()).settings().database().user(), "", 1, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1)).close();
            db.close();
            assertThat(db.isReachable()).isFalse();
        }
    }

    @Test
    void theBreakerOpenPeriodIsOneSecondUnlessConfigured() {
        assertThat(LeopardConfig.of(Map.of()).settings().database().breakerOpen()).isEqualTo(Duration.ofSeconds(1));
        assertThat(LeopardConfig.load(null, Map.of("LEOPARD_DB_BREAKER_OPEN", "250ms")).settings().database().breakerOpen())
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("db.breaker-open", "0s")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("db.breaker-open must be a positive duration");
    }

    /**
     * The real drivers' failures, through a proxy that freezes mid-query: the first statement
     * times out on a connection the pool handed out, the next ones get no connection; three such
     * calls open the breaker and the next is refused at once. A successful probe closes it (the
     * open period here is far longer than the test).
     */
    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = {"POSTGRESQL", "MARIADB"})
    void aFrozenDatabaseOpensTheBreakerAndAProbeClosesIt(DatabaseVendor vendor) throws Exception {
        try (TestDatabase t = TestDatabases.create(vendor);
             FaultyProxy proxy = FaultyProxy.to("127.0.0.1", vendor == DatabaseVendor.POSTGRESQL ? 5432 : 3306)) {
            String url = t.url().replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + proxy.port());
            Duration connectTimeout = Duration.ofMillis(500);
            try (Database db = Database.open(url, t.config(Map.of()).settings().database().user(), "", 2, connectTimeout,
                    Duration.ofSeconds(1), Duration.ofMinutes(5))) {
                countOrders(db);
                proxy.freeze();
                for (int call = 1; call <= 3; call++) {
                    assertThatThrownBy(() -> countOrders(db)).as("call %d", call).isInstanceOf(StoreException.class)
                            .satisfies(e -> assertThat(((StoreException) e).isShortCircuited()).isFalse());
                }
                long start = System.nanoTime();
                assertThatThrownBy(() -> countOrders(db)).isInstanceOf(StoreException.class)
                        .hasMessageContaining("short-circuited");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(connectTimeout);
                assertThat(db.isReachable()).isFalse();

                proxy.restore();
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (!db.isReachable()) {
                    assertThat(System.nanoTime() - deadline).as("reachable again within 15 s").isNegative();
                }
                assertThat(countOrders(db)).isZero();
            }
        }
    }

    private static int countOrders(Database db) {
        try (Connection c = db.connection();
             PreparedStatement ps = db.prepare(c, "SELECT COUNT(*) FROM orders");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw db.failure("count failed: " + e.getMessage(), e);
        }
    }

    @Test
    void networkDriversGetSocketAndConnectTimeouts() {
        com.zaxxer.hikari.HikariConfig pg = new com.zaxxer.hikari.HikariConfig();
        Database.applyDriverTimeouts(pg, DatabaseVendor.POSTGRESQL, Duration.ofMillis(1500), Duration.ofSeconds(3));
        assertThat(pg.getDataSourceProperties()).containsEntry("connectTimeout", "2").containsEntry("loginTimeout", "2")
                .containsEntry("socketTimeout", "4").containsEntry("cancelSignalTimeout", "2");
        com.zaxxer.hikari.HikariConfig maria = new com.zaxxer.hikari.HikariConfig();
        Database.applyDriverTimeouts(maria, DatabaseVendor.MARIADB, Duration.ofSeconds(2), Duration.ofMillis(500));
        assertThat(maria.getDataSourceProperties()).containsEntry("connectTimeout", "2000").containsEntry("socketTimeout", "2000");
        com.zaxxer.hikari.HikariConfig h2 = new com.zaxxer.hikari.HikariConfig();
        Database.applyDriverTimeouts(h2, DatabaseVendor.H2, Duration.ofSeconds(2), Duration.ofSeconds(3));
        assertThat(h2.getDataSourceProperties()).isEmpty();
        assertThat(h2.getConnectionInitSql()).isEqualTo("SET QUERY_TIMEOUT 3000");
    }

    @Test
    void onlyPostgresqlIsToldToRewriteInsertBatches() {
        com.zaxxer.hikari.HikariConfig pg = new com.zaxxer.hikari.HikariConfig();
        Database.applyBatchRewrite(pg, DatabaseVendor.POSTGRESQL);
        assertThat(pg.getDataSourceProperties()).containsEntry("reWriteBatchedInserts", "true");
        com.zaxxer.hikari.HikariConfig maria = new com.zaxxer.hikari.HikariConfig();
        Database.applyBatchRewrite(maria, DatabaseVendor.MARIADB);
        assertThat(maria.getDataSourceProperties()).isEmpty();
    }
}
