package io.leopard.server.config;

import io.leopard.server.access.CidrRange;
import io.leopard.server.problem.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One configuration key: its name, its type (with the range of a number), its default, whether it
 * is secret, and what it is for. This table is the only place a key is spelled; the effective
 * configuration lists the keys in its order. A key is found ignoring case and treating {@code .},
 * {@code -} and {@code _} alike, so {@code db.pool-size} is also {@code LEOPARD_DB_POOL_SIZE}.
 *
 * @param <T> the type of the key's value
 */
public final class Key<T> {
    public static final Key<String> HOST = shown("host", Type.text(), "0.0.0.0", "address the listeners bind");
    public static final Key<Integer> PORT = shown("port", Type.wholeNumber(0, 65535), "8080", "plain HTTP port (0: any free one)");
    public static final Key<String> PATH_PREFIX = shown("path-prefix", Type.pathPrefix(), "", "prefix of every endpoint, e.g. /v2");
    public static final Key<Path> DATA_DIR = shown("data-dir", Type.path(), "data",
            "directory of the embedded database, the master key file and the demo");
    public static final Key<String> DB_URL = shown("db.url", Type.text(), null,
            "JDBC URL (H2, PostgreSQL, MariaDB/MySQL); unset: embedded H2 in data-dir");
    public static final Key<String> DB_USER = shown("db.user", Type.text(), "", "database user; empty for none");
    public static final Key<String> DB_PASSWORD = secret("db.password", Type.text(), "", "database password; empty for none");
    public static final Key<Integer> DB_POOL_SIZE = shown("db.pool-size", Type.wholeNumberOrEmpty(1, 1000), "",
            "connection pool size; empty: 32 for the embedded database, 10 for a server");
    public static final Key<Duration> DB_QUERY_TIMEOUT = shown("db.query-timeout", Type.positiveDuration(), "3s",
            "how long one query may take before the answer is SYSTEM_ERROR");
    public static final Key<Duration> DB_CONNECT_TIMEOUT = shown("db.connect-timeout", Type.positiveDuration(), "2s",
            "how long a request waits for a pooled connection");
    public static final Key<Duration> DB_BREAKER_OPEN = shown("db.breaker-open", Type.positiveDuration(), "1s",
            "how long queries fail at once after the database was found unreachable");
    public static final Key<String> MASTER_KEY = secret("master-key", Type.text(), null,
            "base64 of the 32-byte key that encrypts merchant keys; prefer LEOPARD_MASTER_KEY");
    public static final Key<Path> MASTER_KEY_FILE = shown("master-key-file", Type.pathOrEmpty(), null,
            "file holding the master key; unset: data-dir/master.key");
    public static final Key<ZoneId> ZONE = shown("zone", Type.zone(), "Asia/Shanghai",
            "the platform's time zone for times on the wire and in import files");
    public static final Key<Integer> MAX_BODY_BYTES = shown("max-body-bytes", Type.wholeNumber(1024, 16 * 1024 * 1024), "16384",
            "largest request body");
    public static final Key<Integer> MAX_BATCH = shown("max-batch", Type.wholeNumber(1, 1000), "50", "most orders one batch query may ask");
    public static final Key<Integer> BATCH_CONCURRENCY = shown("query.batch-concurrency", Type.wholeNumberOrEmpty(0, 1000), "",
            "batch queries worked on at once, the rest wait their turn (0: no bound); empty: the cores for the "
            + "embedded database, no bound for a server");
    public static final Key<Duration> FEED_SETTLE = shown("feed.settle", Type.durationOrZero(), "5s",
            "how old a change must be before /query/events lists it (longer than any write transaction)");
    public static final Key<Duration> MERCHANT_REFRESH = shown("merchant-refresh", Type.positiveDuration(), "2s",
            "how often the merchant cache looks for changes made by the CLI");
    public static final Key<String> MASTER_KEY_PREVIOUS = secret("master-key-previous", Type.text(), null,
            "the previous master key during a rotation: still decrypts, never encrypts");
    public static final Key<Boolean> HTTP_ENABLED = shown("http.enabled", Type.trueOrFalse(), "true",
            "whether plain HTTP is served on port; false needs tls.keystore");
    public static final Key<Integer> TLS_PORT = shown("tls.port", Type.wholeNumber(0, 65535), "8443", "HTTPS port, used with tls.keystore");
    public static final Key<Path> TLS_KEYSTORE = shown("tls.keystore", Type.pathOrEmpty(), null,
            "PKCS#12 keystore with the server's key and certificate chain; unset: no HTTPS");
    public static final Key<String> TLS_KEYSTORE_PASSWORD = secret("tls.keystore-password", Type.text(), "", "password of tls.keystore");
    public static final Key<Duration> SHUTDOWN_DRAIN = shown("shutdown.drain", Type.durationOrZero(), "0s",
            "how long /readyz fails before the server stops accepting");
    public static final Key<Duration> SHUTDOWN_GRACE = shown("shutdown.grace", Type.positiveDuration(), "10s",
            "the longest in-flight requests may run on once the server stops accepting");
    public static final Key<Integer> RATE_PER_SECOND = shown("rate.per-second", Type.wholeNumber(1, 1_000_000), "100",
            "default sustained requests per second per merchant");
    public static final Key<Integer> RATE_BURST = shown("rate.burst", Type.wholeNumber(1, 1_000_000), "200", "default burst per merchant");
    public static final Key<Integer> RATE_ADDRESS_PER_SECOND = shown("rate.address-per-second", Type.wholeNumber(1, 1_000_000), "20",
            "requests per second per client address that may fail before the signature check");
    public static final Key<Integer> RATE_ADDRESS_BURST = shown("rate.address-burst", Type.wholeNumber(1, 1_000_000), "100",
            "burst of such failures per client address");
    public static final Key<List<CidrRange>> TRUSTED_PROXIES = shown("trusted-proxies", Type.cidrList(), "",
            "comma-separated CIDRs of proxies whose X-Forwarded-For is believed");
    public static final Key<Integer> HTTP_MAX_CONNECTIONS = shown("http.max-connections", Type.wholeNumber(1, 1_000_000), "1024",
            "open connections one listener keeps at most");
    public static final Key<Integer> HTTP_MAX_CONNECTIONS_PER_ADDRESS = shown("http.max-connections-per-address",
            Type.wholeNumber(1, 1_000_000), "256", "open connections one client address may hold on one listener");
    public static final Key<Duration> HTTP_IDLE_TIMEOUT = shown("http.idle-timeout", Type.positiveDuration(), "75s",
            "how long a kept-alive connection may wait for its next request");
    public static final Key<Duration> HTTP_REQUEST_TIMEOUT = shown("http.request-timeout", Type.positiveDuration(), "10s",
            "how long a connection may take to send a request whole and have it answered");

    public static final Key<String> INTERNAL_HOST = shown("internal.host", Type.text(), "127.0.0.1",
            "address the internal listener (order writes, administration) binds");
    public static final Key<Integer> INTERNAL_PORT = shown("internal.port", Type.wholeNumber(0, 65535), "8081",
            "internal listener port (0: any free one)");
    public static final Key<List<String>> INTERNAL_TOKENS = secret("internal.tokens", Type.tokenList(), "",
            "comma-separated bearer tokens of the internal listener (16+ characters each); empty: no internal listener");
    public static final Key<Path> INTERNAL_TLS_KEYSTORE = shown("internal.tls.keystore", Type.pathOrEmpty(), null,
            "PKCS#12 keystore of the internal listener; set: HTTPS with a client certificate required");
    public static final Key<String> INTERNAL_TLS_KEYSTORE_PASSWORD = secret("internal.tls.keystore-password", Type.text(), "",
            "password of internal.tls.keystore");
    public static final Key<Path> INTERNAL_TLS_TRUSTSTORE = shown("internal.tls.truststore", Type.pathOrEmpty(), null,
            "PKCS#12 truststore of the client certificates the internal listener accepts (needs internal.tls.keystore)");
    public static final Key<String> INTERNAL_TLS_TRUSTSTORE_PASSWORD = secret("internal.tls.truststore-password", Type.text(), "",
            "password of internal.tls.truststore");
    public static final Key<Integer> INTERNAL_MAX_BODY_BYTES = shown("internal.max-body-bytes",
            Type.wholeNumber(1024, 64 * 1024 * 1024), "1048576", "largest request body of an order write (an import file may be larger)");
    public static final Key<String> EVENTS_AMQP_URI = secret("events.amqp.uri", Type.text(), "",
            "AMQP URI of the RabbitMQ that carries order events, e.g. amqp://guest:guest@127.0.0.1:5672; empty or off: no consumer");
    public static final Key<String> EVENTS_AMQP_QUEUE = shown("events.amqp.queue", Type.text(), "leopard.orders",
            "the durable quorum queue of order events; dead letters go to <queue>.dead");
    public static final Key<Boolean> PLAYGROUND_ENABLED = shown("playground.enabled", Type.trueOrFalse(), "false",
            "serve the signing playground at /playground (leopard demo turns it on)");
    public static final Key<Integer> EVENTS_AMQP_PREFETCH = shown("events.amqp.prefetch", Type.wholeNumber(1, 5000), "1000",
            "most unacknowledged events the consumer holds at once");

    public static final Key<String> CHANNELS_WECHAT_BASE_URL = shown("channels.wechat.base-url", Type.text(),
            "https://api.mch.weixin.qq.com", "WeChat Pay API root (v2 XML API)");
    public static final Key<String> CHANNELS_ALIPAY_GATEWAY = shown("channels.alipay.gateway", Type.text(),
            "https://openapi.alipay.com/gateway.do", "Alipay open API gateway");
    public static final Key<Path> CHANNELS_TRUST_CA = shown("channels.trust-ca", Type.pathOrEmpty(), null,
            "PEM file of authorities trusted for channel HTTPS besides the JDK's; unset: the JDK's only");
    public static final Key<Duration> SYNC_MIN_INTERVAL = shown("sync.min-interval", Type.positiveDuration(), "2s",
            "a query asks the channel about a pending order at most this often");
    public static final Key<Duration> SYNC_TIMEOUT = shown("sync.timeout", Type.positiveDuration(), "1s",
            "how long a query waits for the channel before answering the stored state");
    public static final Key<Duration> SYNC_EXPIRY = shown("sync.expiry", Type.positiveDuration(), "2h",
            "a pending order older than this is closed at the channel and locally");
    public static final Key<Duration> SYNC_CARD_PRESENT_EXPIRY = shown("sync.card-present-expiry", Type.positiveDuration(), "60s",
            "a pending card-present order older than this is reversed at the channel");
    public static final Key<Duration> SYNC_CARD_PRESENT_EVERY = shown("sync.card-present-every", Type.positiveDuration(), "5s",
            "how often the sweeper asks about a pending card-present order");
    public static final Key<Boolean> SYNC_SWEEPER_ENABLED = shown("sync.sweeper.enabled", Type.trueOrFalse(), "true",
            "whether this node syncs pending orders in the background");
    public static final Key<Integer> SYNC_SWEEPER_CONCURRENCY = shown("sync.sweeper.concurrency", Type.wholeNumber(1, 256), "8",
            "most channel calls the sweeper of one node makes at once");
    public static final Key<Integer> SYNC_CHANNEL_RATE = shown("sync.channel-rate", Type.wholeNumber(1, 100000), "100",
            "most calls per second one node makes to one channel (query-time and background together)");

    public static final Key<Boolean> NOTIFY_ENABLED = shown("notify.enabled", Type.trueOrFalse(), "true",
            "whether this node delivers merchants' notifications");
    public static final Key<Duration> NOTIFY_CONNECT_TIMEOUT = shown("notify.connect-timeout", Type.positiveDuration(), "2s",
            "how long a notification waits to connect");
    public static final Key<Duration> NOTIFY_TIMEOUT = shown("notify.timeout", Type.positiveDuration(), "5s",
            "how long a notification waits for the whole answer");
    public static final Key<List<Duration>> NOTIFY_RETRIES = shown("notify.retries", Type.durationList(),
            "15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h",
            "the waits after each failed notification attempt; after the last it is given up");
    public static final Key<Integer> NOTIFY_CONCURRENCY = shown("notify.concurrency", Type.wholeNumber(1, 1024), "16",
            "notifications one node sends at once");
    public static final Key<Integer> NOTIFY_PER_MERCHANT = shown("notify.per-merchant", Type.wholeNumber(1, 1024), "4",
            "notifications one node sends at once to one merchant");
    public static final Key<Boolean> NOTIFY_ALLOW_PRIVATE_NETWORKS = shown("notify.allow-private-networks", Type.trueOrFalse(),
            "false", "whether notify URLs may reach loopback, private or link-local addresses (leopard demo: true)");
    public static final Key<Duration> NOTIFY_RETENTION = shown("notify.retention", Type.positiveDuration(), "30d",
            "how long delivered notifications and their attempts are kept");

    public static final Key<String> REDIS_URL = secret("redis.url", Type.text(), "",
            "Redis shared by the nodes (rate buckets, merchant-change news), e.g. redis://127.0.0.1:6379; empty: none");
    public static final Key<Duration> REDIS_TIMEOUT = shown("redis.timeout", Type.positiveDuration(), "50ms",
            "the longest a request waits for Redis before its node decides alone");
    public static final Key<String> REDIS_KEY_PREFIX = shown("redis.key-prefix", Type.text(), "leopard:",
            "put before every Redis key and channel, so that clusters can share one Redis");
    public static final Key<Integer> CLUSTER_EXPECTED_NODES = shown("cluster.expected-nodes", Type.wholeNumber(1, 1000), "1",
            "how many nodes share the rates: a node deciding alone (no Redis, or Redis down) allows this share");

    /** Every key, in the order the effective configuration shows them. */
    public static final List<Key<?>> ALL = List.of(HOST, PORT, PATH_PREFIX, DATA_DIR, DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE,
            DB_QUERY_TIMEOUT, DB_CONNECT_TIMEOUT, DB_BREAKER_OPEN, MASTER_KEY, MASTER_KEY_FILE, ZONE, MAX_BODY_BYTES, MAX_BATCH, BATCH_CONCURRENCY, FEED_SETTLE,
            MERCHANT_REFRESH, MASTER_KEY_PREVIOUS, HTTP_ENABLED, TLS_PORT, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, SHUTDOWN_DRAIN,
            SHUTDOWN_GRACE, RATE_PER_SECOND, RATE_BURST, RATE_ADDRESS_PER_SECOND, RATE_ADDRESS_BURST, TRUSTED_PROXIES,
            HTTP_MAX_CONNECTIONS, HTTP_MAX_CONNECTIONS_PER_ADDRESS, HTTP_IDLE_TIMEOUT, HTTP_REQUEST_TIMEOUT,
            INTERNAL_HOST, INTERNAL_PORT, INTERNAL_TOKENS, INTERNAL_TLS_KEYSTORE, INTERNAL_TLS_KEYSTORE_PASSWORD,
            INTERNAL_TLS_TRUSTSTORE, INTERNAL_TLS_TRUSTSTORE_PASSWORD, INTERNAL_MAX_BODY_BYTES,
            EVENTS_AMQP_URI, EVENTS_AMQP_QUEUE, EVENTS_AMQP_PREFETCH, PLAYGROUND_ENABLED,
            CHANNELS_WECHAT_BASE_URL, CHANNELS_ALIPAY_GATEWAY, CHANNELS_TRUST_CA, SYNC_MIN_INTERVAL, SYNC_TIMEOUT, SYNC_EXPIRY,
            SYNC_CARD_PRESENT_EXPIRY, SYNC_CARD_PRESENT_EVERY, SYNC_SWEEPER_ENABLED, SYNC_SWEEPER_CONCURRENCY, SYNC_CHANNEL_RATE,
            NOTIFY_ENABLED, NOTIFY_CONNECT_TIMEOUT, NOTIFY_TIMEOUT, NOTIFY_RETRIES, NOTIFY_CONCURRENCY, NOTIFY_PER_MERCHANT,
            NOTIFY_ALLOW_PRIVATE_NETWORKS, NOTIFY_RETENTION, REDIS_URL, REDIS_TIMEOUT, REDIS_KEY_PREFIX, CLUSTER_EXPECTED_NODES);

    private static final Map<String, Key<?>> BY_NORMALIZED_NAME = new LinkedHashMap<>();

    static {
        for (Key<?> key : ALL) {
            if (BY_NORMALIZED_NAME.put(normalize(key.name), key) != null) {
                throw new IllegalStateException("two keys are spelled alike: " + key.name);
            }
        }
    }

    private final String name;
    private final Type<T> type;
    private final String defaultText;
    private final boolean secret;
    private final String description;

    private Key(String name, Type<T> type, String defaultText, boolean secret, String description) {
        this.name = name;
        this.type = type;
        this.defaultText = defaultText;
        this.secret = secret;
        this.description = description;
    }

    private static <T> Key<T> shown(String name, Type<T> type, String defaultText, String description) {
        return new Key<>(name, type, defaultText, false, description);
    }

    /** A key whose value is never shown, not even in the effective configuration. */
    private static <T> Key<T> secret(String name, Type<T> type, String defaultText, String description) {
        return new Key<>(name, type, defaultText, true, description);
    }

    /** The name as the documentation and the effective configuration spell it, e.g. {@code db.pool-size}. */
    public String name() {
        return name;
    }

    /** The default text; {@code null} means "no default". */
    public String defaultText() {
        return defaultText;
    }

    /** Whether the value is never shown. */
    public boolean secret() {
        return secret;
    }

    /** What the key is for, in one line. */
    public String description() {
        return description;
    }

    /** What a value looks like, e.g. {@code whole number 1..1000}. */
    public String shape() {
        return type.shape();
    }

    /** The value {@code text} gives this key; a {@link ConfigException} naming the key when it is bad. */
    T parse(String text) {
        return type.parse(name, text);
    }

    /** The key {@code name} means; a {@link ConfigException} naming {@code source} when none. */
    static Key<?> canonical(String name, String source) {
        Key<?> key = find(name);
        if (key == null) {
            throw new ConfigException("unknown key \"" + name + "\" in " + source + "; known keys: "
                    + String.join(", ", ALL.stream().map(Key::name).toList()));
        }
        return key;
    }

    /** The key {@code name} means, or {@code null}. */
    static Key<?> find(String name) {
        return BY_NORMALIZED_NAME.get(normalize(name));
    }

    private static String normalize(String name) {
        return name.toLowerCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    @Override
    public String toString() {
        return name;
    }
}
