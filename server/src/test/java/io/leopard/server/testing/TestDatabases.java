package io.leopard.server.testing;

import io.leopard.server.store.DatabaseVendor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a fresh database of each vendor for a test: H2 in a temporary directory, and a new
 * {@code leopard_test_<random>} database on the local PostgreSQL (user postgres, else root; trust
 * auth) and MariaDB (root, no password) servers. When a server cannot be reached the test is
 * skipped with a visible message, except under CI ({@code CI=true}), where it fails: CI must test
 * every vendor for real.
 */
public final class TestDatabases {
    private static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String MARIADB_BASE = "jdbc:mariadb://127.0.0.1:3306/";

    /**
     * A comma-separated list of vendors ({@code H2,POSTGRESQL}) to test; the others are skipped.
     * Unset: all of them.
     */
    public static final String ONLY_VENDORS = "leopard.test.vendors";

    private TestDatabases() {
    }

    public static TestDatabase create(DatabaseVendor vendor) {
        String only = System.getProperty(ONLY_VENDORS);
        if (only != null && !java.util.Arrays.asList(only.split(",")).contains(vendor.name())) {
            // an explicit choice (the mutation profile runs H2 only), not a missing server: never a CI failure
            Assumptions.abort("skipped: " + ONLY_VENDORS + "=" + only);
        }
        String name = "leopard_test_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        return switch (vendor) {
            case H2 -> h2();
            case POSTGRESQL -> postgres(name);
            case MARIADB -> mariadb(name);
        };
    }

    private static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("leopard-h2-");
            return new TestDatabase(DatabaseVendor.H2, "jdbc:h2:file:" + dir.resolve("leopard") + ";DB_CLOSE_ON_EXIT=FALSE",
                    "", () -> deleteTree(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TestDatabase postgres(String name) {
        SQLException last = null;
        for (String user : new String[] {"postgres", "root"}) {
            try (Connection c = connect(PG_ADMIN, user)) {
                execute(c, "CREATE DATABASE " + name);
                return new TestDatabase(DatabaseVendor.POSTGRESQL, PG_BASE + name, user,
                        () -> dropWith(PG_ADMIN, user, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
            } catch (SQLException e) {
                last = e;
            }
        }
        throw unreachable("PostgreSQL at " + PG_ADMIN + " (users postgres and root)", last);
    }

    private static TestDatabase mariadb(String name) {
        try (Connection c = connect(MARIADB_BASE, "root")) {
            execute(c, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            return new TestDatabase(DatabaseVendor.MARIADB, MARIADB_BASE + name, "root",
                    () -> dropWith(MARIADB_BASE, "root", "DROP DATABASE IF EXISTS " + name));
        } catch (SQLException e) {
            throw unreachable("MariaDB at " + MARIADB_BASE + " (user root, no password)", e);
        }
    }

    private static Connection connect(String url, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", "");
        p.setProperty("connectTimeout", url.contains("mariadb") ? "3000" : "3");
        return DriverManager.getConnection(url, p);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void dropWith(String url, String user, String sql) {
        try (Connection c = connect(url, user)) {
            execute(c, sql);
        } catch (SQLException e) {
            System.err.println("could not drop test database: " + e.getMessage());
        }
    }

    private static RuntimeException unreachable(String what, SQLException cause) {
        String message = what + " is not reachable: " + (cause == null ? "" : cause.getMessage());
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true requires every database vendor; " + message);
        }
        System.err.println("SKIPPED: " + message);
        Assumptions.abort("skipped: " + message);
        throw new AssertionError("unreachable");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
