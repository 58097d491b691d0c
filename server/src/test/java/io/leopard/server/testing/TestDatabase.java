package io.leopard.server.testing;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A fresh, empty, migrated database made for one test, dropped again by {@link #close()}.
 * Nothing a test leaves behind reaches another test or a later run.
 */
public final class TestDatabase implements AutoCloseable {
    private final DatabaseVendor vendor;
    private final String url;
    private final String user;
    private final Runnable drop;
    private Database database;

    TestDatabase(DatabaseVendor vendor, String url, String user, Runnable drop) {
        this.vendor = vendor;
        this.url = url;
        this.user = user;
        this.drop = drop;
    }

    public DatabaseVendor vendor() {
        return vendor;
    }

    public String url() {
        return url;
    }

    public String user() {
        return user;
    }

    /** Another pool on the same database, as a second node has: the caller closes it. */
    public Database secondPool() {
        return Database.open(url, user, "", 4, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1));
    }

    /** The migrated database (opened on first use). */
    public Database database() {
        if (database == null) {
            database = Database.open(url, user, "", 4, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(1));
        }
        return database;
    }

    /** A configuration pointing at this database, with {@code extra} settings on top. */
    public LeopardConfig config(Map<String, String> extra) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("db.url", url);
        values.put("db.user", Objects.requireNonNullElse(user, ""));
        values.put("db.pool-size", "2");
        values.putAll(extra);
        return LeopardConfig.of(values);
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
        }
        drop.run();
    }

    @Override
    public String toString() {
        return vendor.name();
    }
}
