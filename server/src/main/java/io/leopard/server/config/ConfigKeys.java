package io.leopard.server.config;

import io.leopard.server.problem.ConfigException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configuration keys, their defaults and which are secret. A key is found ignoring case and
 * treating {@code .}, {@code -} and {@code _} alike, so {@code db.pool-size} is also
 * {@code LEOPARD_DB_POOL_SIZE}.
 */
final class ConfigKeys {
    private ConfigKeys() {
    }

    /** Every key with its default; {@code null} means "no default". */
    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("host", "0.0.0.0");
        DEFAULTS.put("port", "8080");
        DEFAULTS.put("path-prefix", "");
        DEFAULTS.put("data-dir", "data");
        DEFAULTS.put("db.url", null);
        DEFAULTS.put("db.user", "");
        DEFAULTS.put("db.password", "");
        DEFAULTS.put("db.pool-size", "");
        DEFAULTS.put("db.query-timeout", "3s");
        DEFAULTS.put("db.connect-timeout", "2s");
        DEFAULTS.put("db.breaker-open", "1s");
        DEFAULTS.put("master-key", null);
        DEFAULTS.put("master-key-file", null);
        DEFAULTS.put("zone", "Asia/Shanghai");
        DEFAULTS.put("max-body-bytes", "16384");
        DEFAULTS.put("max-batch", "50");
        DEFAULTS.put("merchant-refresh", "2s");
        DEFAULTS.put("master-key-previous", null);
        DEFAULTS.put("http.enabled", "true");
        DEFAULTS.put("tls.port", "8443");
        DEFAULTS.put("tls.keystore", null);
        DEFAULTS.put("tls.keystore-password", "");
        DEFAULTS.put("shutdown.drain", "0s");
        DEFAULTS.put("shutdown.grace", "10s");
        DEFAULTS.put("rate.per-second", "100");
        DEFAULTS.put("rate.burst", "200");
        DEFAULTS.put("rate.address-per-second", "20");
        DEFAULTS.put("rate.address-burst", "100");
        DEFAULTS.put("trusted-proxies", "");
        DEFAULTS.put("http.max-connections", "1024");
        DEFAULTS.put("http.max-connections-per-address", "256");
        DEFAULTS.put("http.idle-timeout", "75s");
        DEFAULTS.put("http.request-timeout", "10s");
    }

    /** Keys whose values are never shown, not even in the effective configuration. */
    static final Set<String> SECRETS =
            Set.of("db.password", "master-key", "master-key-previous", "tls.keystore-password");

    /** The key {@code name} means; a {@link ConfigException} naming {@code source} when none. */
    static String canonical(String name, String source) {
        String key = find(name);
        if (key == null) {
            throw new ConfigException("unknown key \"" + name + "\" in " + source + "; known keys: "
                    + String.join(", ", DEFAULTS.keySet()));
        }
        return key;
    }

    /** The key {@code name} means, or {@code null}. */
    static String find(String name) {
        String wanted = normalize(name);
        for (String key : DEFAULTS.keySet()) {
            if (normalize(key).equals(wanted)) {
                return key;
            }
        }
        return null;
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
