package io.leopard.server.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Which database to open and how long to wait for it. The password is never shown, neither on its
 * own nor inside the URL ({@link #toString()}).
 *
 * @param url                   the JDBC URL, resolved: by default the embedded H2 database in the data directory
 * @param user                  empty for none (credentials inside the URL keep working)
 * @param password              empty for none
 * @param poolSize              resolved: as configured, else {@link #defaultPoolSize}
 * @param queryTimeout          how long one query may take before the answer is SYSTEM_ERROR
 * @param connectTimeout        how long a request waits for a pooled connection
 * @param breakerOpen           how long queries are refused at once after the database was found unreachable
 * @param dataDir               the data directory, created before an embedded database is opened
 * @param defaultEmbeddedDbFile the file of the default embedded database ({@code data-dir/leopard.mv.db}), or
 *                              {@code null} when a URL was configured: lets a command see whether it exists
 *                              before opening it, which would create it
 */
public record DatabaseSettings(String url, String user, String password, int poolSize, Duration queryTimeout,
                               Duration connectTimeout, Duration breakerOpen, Path dataDir, Path defaultEmbeddedDbFile) {

    /** The pool size of the embedded database: its sessions live in this process and cost little. */
    public static final int EMBEDDED_POOL_SIZE = 32;
    /** The pool size of a database server. */
    public static final int SERVER_POOL_SIZE = 10;

    /** The URL of the default embedded database in {@code dataDir}. */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("leopard")
                // a bigger per-session cache of compiled statements: H2 otherwise re-parses
                // the batch lookups (one text per IN-list size) on every request
                + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64"
                // every commit written to the file before it returns: by default H2 writes
                // committed changes up to a second later, and a killed process lost an order
                // write it had already answered 201 or an event it had acknowledged (OrderWriteCrashIT)
                + ";WRITE_DELAY=0";
    }

    /** The file the default embedded database in {@code dataDir} is kept in. */
    public static Path embeddedDbFile(Path dataDir) {
        return dataDir.resolve("leopard.mv.db");
    }

    /**
     * The pool size when none is configured: 32 for the embedded database (with 10, requests queued
     * for a connection made the batch p99 2.5× worse under 32 concurrent clients), 10 for a server.
     */
    public static int defaultPoolSize(String url) {
        return isEmbedded(url) ? EMBEDDED_POOL_SIZE : SERVER_POOL_SIZE;
    }

    /** The zero-setup embedded default in {@code dataDir}, with the default timeouts (tests and tools). */
    public static DatabaseSettings embedded(Path dataDir) {
        return new DatabaseSettings(embeddedUrl(dataDir), "", "", EMBEDDED_POOL_SIZE, Duration.ofSeconds(3),
                Duration.ofSeconds(2), Duration.ofSeconds(1), dataDir, embeddedDbFile(dataDir));
    }

    /** Whether the database is embedded H2, in this process. */
    public boolean isEmbedded() {
        return isEmbedded(url);
    }

    private static boolean isEmbedded(String url) {
        return url.startsWith("jdbc:h2:");
    }

    /** The URL as it may be shown: a {@code password=} parameter in it masked. */
    public String shownUrl() {
        return DatabaseVendor.maskPassword(url);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[url=" + shownUrl() + ", user=" + user + ", password=" + (password == null || password.isEmpty() ? "" : "********")
                + ", poolSize=" + poolSize + ", queryTimeout=" + queryTimeout + ", connectTimeout=" + connectTimeout
                + ", breakerOpen=" + breakerOpen + ", dataDir=" + dataDir + ", defaultEmbeddedDbFile=" + defaultEmbeddedDbFile + "]";
    }
}
