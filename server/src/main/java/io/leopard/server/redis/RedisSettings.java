package io.leopard.server.redis;

import io.leopard.server.problem.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where the cluster's shared fast state lives, and how long a request may wait for it.
 *
 * @param url           {@code redis://[user:password@]host[:port][/db]} or {@code rediss://…}; {@code null}: no Redis, every
 *                      node on its own (as a single node always was)
 * @param timeout       the longest one Redis command may take before the node decides locally
 * @param keyPrefix     put before every key and channel name, so that several clusters (or tests) can share one Redis
 * @param expectedNodes how many nodes share the quotas: a node deciding on its own (no Redis, or Redis down) allows
 *                      this share of each rate
 */
public record RedisSettings(String url, Duration timeout, String keyPrefix, int expectedNodes) {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9:._-]{1,64}");

    /**
     * Checks the values once, at start-up; every message names its key and none repeats the URL,
     * which may hold a password.
     */
    public RedisSettings {
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null) {
            url = url.trim();
            checkUrl(url);
        }
        if (keyPrefix == null || !PREFIX.matcher(keyPrefix).matches()) {
            throw new ConfigException("redis.key-prefix must be 1 to 64 letters, digits or : . _ -; got \"" + keyPrefix + "\"");
        }
        if (expectedNodes < 1) {
            throw new ConfigException("cluster.expected-nodes must be at least 1; got " + expectedNodes);
        }
    }

    private static void checkUrl(String url) {
        String why;
        try {
            URI uri = new URI(url);
            boolean scheme = "redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme());
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            if (!scheme) {
                why = "must start with redis:// or rediss://";
            } else if (uri.getHost() == null) {
                why = "must name a host, e.g. redis://127.0.0.1:6379";
            } else if (uri.getPort() == 0 || uri.getPort() > 65535) {
                why = "must have a port from 1 to 65535";
            } else if (!path.isEmpty() && !path.matches("/\\d{0,2}")) {
                why = "may end with a database number only, e.g. redis://127.0.0.1:6379/0";
            } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                why = "must have no query or fragment";
            } else {
                return;
            }
        } catch (URISyntaxException e) {
            why = "is not a URL";
        }
        throw new ConfigException("redis.url " + why + " (the value is not shown: it may hold a password)");
    }

    /** Whether the nodes share their state in Redis. */
    public boolean enabled() {
        return url != null;
    }

    /** The URL without user or password, for logs: {@code redis://host:port/db}. */
    public String shownUrl() {
        if (url == null) {
            return "(none)";
        }
        URI uri = URI.create(url);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + path;
    }

    /** The share of {@code rate} one node allows on its own: at least 1. */
    public int share(int rate) {
        return Math.max(1, rate / expectedNodes);
    }

    @Override
    public String toString() {
        return "RedisSettings[url=" + shownUrl() + ", timeout=" + timeout + ", keyPrefix=" + keyPrefix + ", expectedNodes="
                + expectedNodes + "]";
    }
}
