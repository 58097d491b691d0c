package io.leopard.server.store;

import io.leopard.server.problem.ConfigException;

/**
 * The databases Leopard runs on. Each has its own Flyway folder because column types differ
 * (MariaDB has no TIMESTAMP without time-zone conversion, so it uses DATETIME).
 */
public enum DatabaseVendor {
    H2("db/migration/h2"),
    POSTGRESQL("db/migration/postgresql"),
    MARIADB("db/migration/mysql");

    private final String migrations;

    DatabaseVendor(String migrations) {
        this.migrations = migrations;
    }

    /** The classpath folder of this vendor's Flyway migrations. */
    public String migrations() {
        return migrations;
    }

    /** The vendor a JDBC URL names; anything else is a configuration error. */
    public static DatabaseVendor fromUrl(String url) {
        if (url != null) {
            if (url.startsWith("jdbc:h2:")) {
                return H2;
            }
            if (url.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
                return MARIADB;
            }
        }
        throw new ConfigException("db.url must start with jdbc:h2:, jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql:; got \""
                + (url == null ? "" : maskPassword(url)) + "\"");
    }

    /** The URL fit for a log line or an error: a password in it is masked. */
    static String maskPassword(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1********");
    }
}
