package io.leopard.server.config;

import io.leopard.server.problem.ConfigException;
import io.leopard.server.access.CidrRange;
import io.leopard.server.access.RateSettings;
import io.leopard.server.query.QuerySettings;
import io.leopard.server.web.TlsSettings;
import io.leopard.server.web.WebSettings;
import io.leopard.server.web.connection.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration: defaults, then a properties file, then {@code LEOPARD_*}
 * environment variables. Every value is checked here, once, at start-up; a bad value stops the
 * process with a message naming the key. Keys are matched ignoring case and treating {@code .},
 * {@code -} and {@code _} alike, so {@code db.pool-size} is {@code LEOPARD_DB_POOL_SIZE}.
 */
public final class LeopardConfig {

    private final Map<String, String> values;

    private LeopardConfig(Map<String, String> values) {
        this.values = values;
        validate();
    }

    /** Defaults only (with the given overrides), for tests and the demo. */
    public static LeopardConfig of(Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        overrides.forEach((k, v) -> values.put(ConfigKeys.canonical(k, "argument"), v));
        return new LeopardConfig(values);
    }

    /**
     * Loads defaults, then {@code file} when not {@code null}, then the {@code LEOPARD_*} entries of
     * {@code env}.
     */
    public static LeopardConfig load(Path file, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>(ConfigKeys.DEFAULTS);
        if (file != null) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                props.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("config file " + file + " is malformed: " + e.getMessage());
            }
            for (String name : props.stringPropertyNames()) {
                values.put(ConfigKeys.canonical(name, "config file " + file), props.getProperty(name).trim());
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith("LEOPARD_")) {
                String key = ConfigKeys.find(e.getKey().substring("LEOPARD_".length()));
                if (key != null) {
                    values.put(key, e.getValue().trim());
                }
            }
        }
        return new LeopardConfig(values);
    }

    private void validate() {
        port();
        dbPoolSize();
        duration("db.query-timeout");
        duration("db.connect-timeout");
        duration("db.breaker-open");
        duration("merchant-refresh");
        zone();
        intValue("max-body-bytes", 1024, 16 * 1024 * 1024);
        intValue("max-batch", 1, 1000);
        durationOrZero("shutdown.drain");
        duration("shutdown.grace");
        tlsPort();
        httpEnabled();
        if (!httpEnabled() && tlsKeystore() == null) {
            throw new ConfigException("http.enabled=false needs tls.keystore: otherwise nothing would listen");
        }
        httpMaxConnections();
        httpMaxConnectionsPerAddress();
        duration("http.idle-timeout");
        Duration requestTimeout = duration("http.request-timeout");
        // the worst a handler waits for the database: a pooled connection, the statement, and the
        // driver's socket timeout (the query timeout plus a second, see Database)
        Duration dbWorst = dbConnectTimeout().plus(dbQueryTimeout()).plusSeconds(1);
        if (requestTimeout.compareTo(dbWorst) <= 0) {
            // the guard would cut a request off before the database gave up on it, and the
            // merchant would get no answer instead of SYSTEM_ERROR
            throw new ConfigException("http.request-timeout (" + requestTimeout.toMillis() + " ms) must be longer than "
                    + "db.connect-timeout + db.query-timeout + 1 s (" + dbWorst.toMillis() + " ms)");
        }
        ratePerSecond();
        rateBurst();
        addressRatePerSecond();
        addressRateBurst();
        try {
            CidrRange.parseList(trustedProxies());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("trusted-proxies: " + e.getMessage());
        }
        String prefix = pathPrefix();
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//"))) {
            throw new ConfigException("path-prefix must be empty or start with / and not end with /, e.g. /v2; got \"" + prefix + "\"");
        }
    }

    private String get(String key) {
        return values.get(key);
    }

    /** A copy with one more override (used by the CLI's --port and by tests). */
    public LeopardConfig with(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(ConfigKeys.canonical(key, "override"), value);
        return new LeopardConfig(copy);
    }

    /** A copy with several overrides, checked together (one may need another, as http.enabled=false needs tls.keystore). */
    public LeopardConfig with(Map<String, String> overrides) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        overrides.forEach((k, v) -> copy.put(ConfigKeys.canonical(k, "override"), v));
        return new LeopardConfig(copy);
    }

    public String host() {
        return get("host");
    }

    public int port() {
        return intValue("port", 0, 65535);
    }

    /** The path prefix of every endpoint, e.g. {@code /v2}; empty for none. */
    public String pathPrefix() {
        return get("path-prefix");
    }

    public Path dataDir() {
        return Path.of(get("data-dir"));
    }

    /** The JDBC URL; by default an embedded H2 database in the data directory. */
    public String dbUrl() {
        String url = get("db.url");
        if (url == null || url.isEmpty()) {
            return "jdbc:h2:file:" + dataDir().toAbsolutePath().resolve("leopard")
                    // a bigger per-session cache of compiled statements: H2 otherwise re-parses
                    // the batch lookups (one text per IN-list size) on every request
                    + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";
        }
        return url;
    }

    /**
     * The file of the default embedded database ({@code data-dir/leopard.mv.db}), or {@code null}
     * when {@code db.url} names a database: lets a command see whether it exists before opening it,
     * which would create it.
     */
    public Path defaultEmbeddedDbFile() {
        String url = get("db.url");
        return url == null || url.isEmpty() ? dataDir().resolve("leopard.mv.db") : null;
    }

    /** Whether the database is the zero-setup embedded default. */
    public boolean isEmbeddedDb() {
        return dbUrl().startsWith("jdbc:h2:");
    }

    public String dbUser() {
        return get("db.user");
    }

    public String dbPassword() {
        return get("db.password");
    }

    /**
     * The pool size: as configured, else 32 for the embedded database (its sessions live in this
     * process and cost little; with 10, requests queued for a connection made the batch p99 2.5×
     * worse under 32 concurrent clients) and 10 for a database server.
     */
    public int dbPoolSize() {
        String v = get("db.pool-size");
        if (v == null || v.isEmpty()) {
            return isEmbeddedDb() ? 32 : 10;
        }
        return intValue("db.pool-size", 1, 1000);
    }

    /** How long one query may take before the answer is SYSTEM_ERROR. */
    public Duration dbQueryTimeout() {
        return duration("db.query-timeout");
    }

    /** How long a request waits for a pooled connection. */
    public Duration dbConnectTimeout() {
        return duration("db.connect-timeout");
    }

    /**
     * How long queries are answered SYSTEM_ERROR at once, without asking the database, after it
     * was found unreachable a few times in a row; then one trial call decides.
     */
    public Duration dbBreakerOpen() {
        return duration("db.breaker-open");
    }

    /** The master key (base64 of 32 bytes) when given directly; prefer the environment for it. */
    public String masterKey() {
        return get("master-key");
    }

    /** Where the master key file is; by default {@code master.key} in the data directory. */
    public Path masterKeyFile() {
        String file = get("master-key-file");
        return file == null || file.isEmpty() ? dataDir().resolve("master.key") : Path.of(file);
    }

    /** The platform's time zone for times on the wire and in import files. */
    public ZoneId zone() {
        try {
            return ZoneId.of(get("zone"));
        } catch (DateTimeException e) {
            throw new ConfigException("zone must be a time zone id such as Asia/Shanghai; got \"" + get("zone") + "\"");
        }
    }

    public int maxBodyBytes() {
        return intValue("max-body-bytes", 1024, 16 * 1024 * 1024);
    }

    public int maxBatch() {
        return intValue("max-batch", 1, 1000);
    }

    /** How often the merchant cache checks the database for changes made by the CLI. */
    public Duration merchantRefresh() {
        return duration("merchant-refresh");
    }

    /** The previous master key during a master-key rotation: still decrypts, never encrypts. */
    public String masterKeyPrevious() {
        return get("master-key-previous");
    }

    /** Whether plain HTTP is served on {@link #port()}; with TLS alone it may be switched off. */
    public boolean httpEnabled() {
        String v = get("http.enabled");
        if (!"true".equalsIgnoreCase(v) && !"false".equalsIgnoreCase(v)) {
            throw new ConfigException("http.enabled must be true or false; got \"" + v + "\"");
        }
        return Boolean.parseBoolean(v);
    }

    /** The HTTPS port, used when {@link #tlsKeystore()} is set. */
    public int tlsPort() {
        return intValue("tls.port", 0, 65535);
    }

    /** A PKCS#12 keystore holding the server's private key and certificate chain; {@code null} for no TLS. */
    public Path tlsKeystore() {
        String v = get("tls.keystore");
        return v == null || v.isEmpty() ? null : Path.of(v);
    }

    public String tlsKeystorePassword() {
        return get("tls.keystore-password");
    }

    /** How long {@code /readyz} fails before the server stops accepting, so a load balancer drains the node. */
    public Duration shutdownDrain() {
        return durationOrZero("shutdown.drain");
    }

    /** The longest in-flight requests may run on after the server stops accepting. */
    public Duration shutdownGrace() {
        return duration("shutdown.grace");
    }

    /** Default sustained requests per second per merchant (token bucket refill rate). */
    public int ratePerSecond() {
        return intValue("rate.per-second", 1, 1_000_000);
    }

    /** Default burst per merchant (token bucket size). */
    public int rateBurst() {
        return intValue("rate.burst", 1, 1_000_000);
    }

    /** Requests per second per client address that may fail before the signature check. */
    public int addressRatePerSecond() {
        return intValue("rate.address-per-second", 1, 1_000_000);
    }

    public int addressRateBurst() {
        return intValue("rate.address-burst", 1, 1_000_000);
    }

    /** Open connections one listener keeps at most. */
    public int httpMaxConnections() {
        return intValue("http.max-connections", 1, 1_000_000);
    }

    /** Open connections one client address may hold on one listener (trusted proxies are exempt). */
    public int httpMaxConnectionsPerAddress() {
        return intValue("http.max-connections-per-address", 1, 1_000_000);
    }

    /** How long a kept-alive connection may wait for its next request. */
    public Duration httpIdleTimeout() {
        return duration("http.idle-timeout");
    }

    /** How long a connection may take to send a request whole and have it answered (slowloris). */
    public Duration httpRequestTimeout() {
        return duration("http.request-timeout");
    }

    /** Comma-separated CIDRs of proxies whose {@code X-Forwarded-For} is believed. */
    public String trustedProxies() {
        return get("trusted-proxies");
    }

    /** The merchant-facing listeners' settings. */
    public WebSettings web() {
        TlsSettings tls = tlsKeystore() == null ? null : new TlsSettings(tlsPort(), tlsKeystore(), tlsKeystorePassword());
        return new WebSettings(host(), port(), httpEnabled(), pathPrefix(), maxBodyBytes(), CidrRange.parseList(trustedProxies()),
                new ConnectionLimits(httpMaxConnections(), httpMaxConnectionsPerAddress(), httpIdleTimeout(), httpRequestTimeout()), tls);
    }

    /** The default request rates. */
    public RateSettings rates() {
        return new RateSettings(ratePerSecond(), rateBurst(), addressRatePerSecond(), addressRateBurst());
    }

    /** How queries are read and answered. */
    public QuerySettings query() {
        return new QuerySettings(maxBatch(), zone());
    }

    private Duration durationOrZero(String key) {
        Duration d = Durations.parse(get(key));
        if (d == null) {
            throw new ConfigException(key + " must be a duration such as 0s, 500ms, 3s or 2m; got \"" + get(key) + "\"");
        }
        return d;
    }

    private int intValue(String key, int min, int max) {
        String v = get(key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ConfigException(key + " must be between " + min + " and " + max + "; got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(key + " must be a whole number; got \"" + v + "\"");
        }
    }

    /** A positive duration such as {@code 500ms}, {@code 3s}, {@code 2m} or {@code 24h}. */
    private Duration duration(String key) {
        Duration d = Durations.parse(get(key));
        if (d == null || d.isZero()) {
            throw new ConfigException(key + " must be a positive duration such as 500ms, 3s, 2m or 24h; got \"" + get(key) + "\"");
        }
        return d;
    }

    /** The effective configuration, one {@code key=value} a line, with secrets masked. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, v) -> {
            String shown = v == null ? "(unset)" : ConfigKeys.SECRETS.contains(k) && !v.isEmpty() ? "********" : v;
            if (k.equals("db.pool-size")) {
                shown = Integer.toString(dbPoolSize());
            }
            if (k.equals("db.url")) {
                shown = dbUrl().replaceAll("(?i)(password=)[^;&]*", "$1********");
            }
            sb.append(k).append('=').append(shown).append('\n');
        });
        return sb.toString();
    }
}
