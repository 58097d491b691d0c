package io.leopard.server.config;

import io.leopard.server.Settings;
import io.leopard.server.ShutdownSettings;
import io.leopard.server.access.RateSettings;
import io.leopard.server.channel.ChannelSettings;
import io.leopard.server.events.EventSettings;
import io.leopard.server.notify.NotifySettings;
import io.leopard.server.sync.SyncSettings;
import java.net.URI;
import java.net.URISyntaxException;
import io.leopard.server.internal.InternalSettings;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.query.QuerySettings;
import io.leopard.server.redis.RedisSettings;
import io.leopard.server.store.DatabaseSettings;
import io.leopard.server.web.TlsSettings;
import io.leopard.server.web.WebSettings;
import io.leopard.server.web.connection.ConnectionLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The effective configuration: defaults, then a properties file, then {@code LEOPARD_*}
 * environment variables. Every value is parsed here, once, at start-up, by the type its {@link Key}
 * names, into the {@link Settings} records the components are given; a bad value stops the process
 * with a message naming the key. Keys are matched ignoring case and treating {@code .}, {@code -}
 * and {@code _} alike, so {@code db.pool-size} is {@code LEOPARD_DB_POOL_SIZE}.
 */
public final class LeopardConfig {

    /** The value of {@code events.amqp.uri} that turns the consumer off, even in the demo (which otherwise uses the local broker). */
    public static final String EVENTS_OFF = "off";

    /** The text of every key, in {@link Key#ALL}'s order; {@code null} for "not set". */
    private final Map<Key<?>, String> texts;
    private final Settings settings;

    private LeopardConfig(Map<Key<?>, String> texts) {
        this.texts = texts;
        this.settings = new Parsed(texts).settings();
    }

    private static Map<Key<?>, String> defaults() {
        Map<Key<?>, String> texts = new LinkedHashMap<>();
        for (Key<?> key : Key.ALL) {
            texts.put(key, key.defaultText());
        }
        return texts;
    }

    /** Defaults only (with the given overrides), for tests and the demo. */
    public static LeopardConfig of(Map<String, String> overrides) {
        Map<Key<?>, String> texts = defaults();
        overrides.forEach((k, v) -> texts.put(Key.canonical(k, "argument"), v));
        return new LeopardConfig(texts);
    }

    /**
     * Loads defaults, then {@code file} when not {@code null}, then the {@code LEOPARD_*} entries of
     * {@code env}; an unknown key in the file is an error, an unknown {@code LEOPARD_*} variable is not.
     */
    public static LeopardConfig load(Path file, Map<String, String> env) {
        Map<Key<?>, String> texts = defaults();
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
                texts.put(Key.canonical(name, "config file " + file), props.getProperty(name).trim());
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
            if (e.getKey().startsWith("LEOPARD_")) {
                Key<?> key = Key.find(e.getKey().substring("LEOPARD_".length()));
                if (key != null) {
                    texts.put(key, e.getValue().trim());
                }
            }
        }
        return new LeopardConfig(texts);
    }

    /** The text {@code key} was given (or its default); {@code null} when not set. */
    public String text(String key) {
        return texts.get(Key.canonical(key, "lookup"));
    }

    /** A copy with one more override (used by the CLI's --port and by tests). */
    public LeopardConfig with(String key, String value) {
        Map<Key<?>, String> copy = new LinkedHashMap<>(texts);
        copy.put(Key.canonical(key, "override"), value);
        return new LeopardConfig(copy);
    }

    /** A copy with several overrides, checked together (one may need another, as http.enabled=false needs tls.keystore). */
    public LeopardConfig with(Map<String, String> overrides) {
        Map<Key<?>, String> copy = new LinkedHashMap<>(texts);
        overrides.forEach((k, v) -> copy.put(Key.canonical(k, "override"), v));
        return new LeopardConfig(copy);
    }

    /** The parsed values, one record per component. */
    public Settings settings() {
        return settings;
    }

    /**
     * The effective configuration, one {@code key=value} a line in the table's order: secrets masked,
     * {@code db.pool-size} and {@code db.url} as resolved, a password inside the URL masked.
     */
    public String describe() {
        return settings.description();
    }

    /** The values parsed by their keys' types, and the records made of them. */
    private static final class Parsed {
        private final Map<Key<?>, String> texts;
        private final Map<Key<?>, Object> values = new LinkedHashMap<>();

        Parsed(Map<Key<?>, String> texts) {
            this.texts = texts;
            for (Key<?> key : Key.ALL) {
                values.put(key, key.parse(texts.get(key)));
            }
        }

        @SuppressWarnings("unchecked") // every value was made by its own key's type
        private <T> T get(Key<T> key) {
            return (T) values.get(key);
        }

        Settings settings() {
            Path dataDir = get(Key.DATA_DIR);
            DatabaseSettings database = database(dataDir);
            int batches = batchConcurrency(database);
            WebSettings web = web();
            SyncSettings sync = sync();
            checkRequestTimeout(web.connections().requestTimeout(), database, sync);
            KeySettings keys = new KeySettings(get(Key.MASTER_KEY),
                    get(Key.MASTER_KEY_FILE) != null ? get(Key.MASTER_KEY_FILE) : dataDir.resolve("master.key"),
                    get(Key.MASTER_KEY_PREVIOUS), get(Key.MERCHANT_REFRESH), database.isEmbedded());
            return new Settings(dataDir, web,
                    new RateSettings(get(Key.RATE_PER_SECOND), get(Key.RATE_BURST), get(Key.RATE_ADDRESS_PER_SECOND),
                            get(Key.RATE_ADDRESS_BURST)),
                    new QuerySettings(get(Key.MAX_BATCH), get(Key.ZONE), get(Key.FEED_SETTLE), batches),
                    database, keys,
                    new ShutdownSettings(get(Key.SHUTDOWN_DRAIN), get(Key.SHUTDOWN_GRACE)),
                    internal(), events(), channels(), sync, notifications(),
                    new RedisSettings(get(Key.REDIS_URL), get(Key.REDIS_TIMEOUT), get(Key.REDIS_KEY_PREFIX),
                            get(Key.CLUSTER_EXPECTED_NODES)),
                    describe(database, batches));
        }

        private int batchConcurrency(DatabaseSettings database) {
            Integer configured = get(Key.BATCH_CONCURRENCY);
            return configured != null ? configured
                    : QuerySettings.defaultBatchConcurrency(database.isEmbedded());
        }

        private DatabaseSettings database(Path dataDir) {
            String configured = get(Key.DB_URL);
            boolean defaulted = configured == null || configured.isEmpty();
            String url = defaulted ? DatabaseSettings.embeddedUrl(dataDir) : configured;
            Integer poolSize = get(Key.DB_POOL_SIZE);
            return new DatabaseSettings(url, get(Key.DB_USER), get(Key.DB_PASSWORD),
                    poolSize != null ? poolSize : DatabaseSettings.defaultPoolSize(url),
                    get(Key.DB_QUERY_TIMEOUT), get(Key.DB_CONNECT_TIMEOUT), get(Key.DB_BREAKER_OPEN), dataDir,
                    defaulted ? DatabaseSettings.embeddedDbFile(dataDir) : null);
        }

        private WebSettings web() {
            Path keystore = get(Key.TLS_KEYSTORE);
            boolean httpEnabled = get(Key.HTTP_ENABLED);
            if (!httpEnabled && keystore == null) {
                throw new ConfigException("http.enabled=false needs tls.keystore: otherwise nothing would listen");
            }
            TlsSettings tls = keystore == null ? null : new TlsSettings(get(Key.TLS_PORT), keystore, get(Key.TLS_KEYSTORE_PASSWORD));
            ConnectionLimits connections = new ConnectionLimits(get(Key.HTTP_MAX_CONNECTIONS), get(Key.HTTP_MAX_CONNECTIONS_PER_ADDRESS),
                    get(Key.HTTP_IDLE_TIMEOUT), get(Key.HTTP_REQUEST_TIMEOUT));
            return new WebSettings(get(Key.HOST), get(Key.PORT), httpEnabled, get(Key.PATH_PREFIX), get(Key.MAX_BODY_BYTES),
                    get(Key.TRUSTED_PROXIES), connections, tls, get(Key.PLAYGROUND_ENABLED));
        }

        private InternalSettings internal() {
            List<String> tokens = get(Key.INTERNAL_TOKENS);
            Path keystore = get(Key.INTERNAL_TLS_KEYSTORE);
            Path truststore = get(Key.INTERNAL_TLS_TRUSTSTORE);
            if ((keystore == null) != (truststore == null)) {
                throw new ConfigException("internal.tls.keystore and internal.tls.truststore go together: the internal "
                        + "listener's TLS always asks for a client certificate");
            }
            if (tokens.isEmpty()) {
                if (keystore != null) {
                    throw new ConfigException("internal.tls.keystore is set but internal.tokens is empty: the internal "
                            + "listener is on only with tokens");
                }
                return null;
            }
            InternalSettings.InternalTls tls = keystore == null ? null : new InternalSettings.InternalTls(keystore,
                    get(Key.INTERNAL_TLS_KEYSTORE_PASSWORD), truststore, get(Key.INTERNAL_TLS_TRUSTSTORE_PASSWORD));
            return new InternalSettings(get(Key.INTERNAL_HOST), get(Key.INTERNAL_PORT), tokens, tls,
                    get(Key.INTERNAL_MAX_BODY_BYTES));
        }

        private ChannelSettings channels() {
            return new ChannelSettings(channelUrl(Key.CHANNELS_WECHAT_BASE_URL), channelUrl(Key.CHANNELS_ALIPAY_GATEWAY),
                    get(Key.CHANNELS_TRUST_CA));
        }

        private URI channelUrl(Key<String> key) {
            String text = get(key);
            try {
                URI uri = new URI(text.trim());
                if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                    return uri;
                }
            } catch (URISyntaxException e) {
                // said below
            }
            throw new ConfigException(key.name() + " must be an http:// or https:// URL with a host and no query; got \"" + text + "\"");
        }

        private NotifySettings notifications() {
            return new NotifySettings(get(Key.NOTIFY_ENABLED), get(Key.NOTIFY_CONNECT_TIMEOUT), get(Key.NOTIFY_TIMEOUT),
                    get(Key.NOTIFY_RETRIES), get(Key.NOTIFY_CONCURRENCY), get(Key.NOTIFY_PER_MERCHANT),
                    get(Key.NOTIFY_ALLOW_PRIVATE_NETWORKS), get(Key.NOTIFY_RETENTION));
        }

        private SyncSettings sync() {
            return new SyncSettings(get(Key.SYNC_MIN_INTERVAL), get(Key.SYNC_TIMEOUT), get(Key.SYNC_EXPIRY),
                    get(Key.SYNC_CARD_PRESENT_EXPIRY), get(Key.SYNC_CARD_PRESENT_EVERY), get(Key.SYNC_SWEEPER_ENABLED),
                    get(Key.SYNC_SWEEPER_CONCURRENCY), get(Key.SYNC_CHANNEL_RATE));
        }

        private EventSettings events() {
            String uri = get(Key.EVENTS_AMQP_URI);
            if (uri == null || uri.isBlank() || uri.trim().equalsIgnoreCase(EVENTS_OFF)) {
                return null;
            }
            if (!uri.startsWith("amqp://") && !uri.startsWith("amqps://")) {
                throw new ConfigException("events.amqp.uri must start with amqp:// or amqps://, e.g. "
                        + "amqp://guest:guest@127.0.0.1:5672 (the rest is not shown: it may hold a password)");
            }
            String queue = get(Key.EVENTS_AMQP_QUEUE);
            if (queue == null || !queue.matches("[A-Za-z0-9._:-]{1,200}")) {
                throw new ConfigException("events.amqp.queue must be 1-200 letters, digits or . _ : -; got \"" + queue + "\"");
            }
            return new EventSettings(uri.trim(), queue, get(Key.EVENTS_AMQP_PREFETCH));
        }

        /**
         * The guard would cut a request off before the database gave up on it, and the merchant would
         * get no answer instead of SYSTEM_ERROR: the request timeout must outlast the worst a handler
         * waits for the database, a pooled connection, the statement, and the driver's socket timeout
         * (the query timeout plus a second, see Database).
         */
        private static void checkRequestTimeout(Duration requestTimeout, DatabaseSettings database, SyncSettings sync) {
            Duration dbWorst = database.connectTimeout().plus(database.queryTimeout()).plusSeconds(1);
            if (requestTimeout.compareTo(dbWorst) <= 0) {
                throw new ConfigException("http.request-timeout (" + requestTimeout.toMillis() + " ms) must be longer than "
                        + "db.connect-timeout + db.query-timeout + 1 s (" + dbWorst.toMillis() + " ms)");
            }
            // a query of a pending order may also wait for its channel
            Duration worst = dbWorst.plus(sync.timeout());
            if (requestTimeout.compareTo(worst) <= 0) {
                throw new ConfigException("http.request-timeout (" + requestTimeout.toMillis() + " ms) must be longer than "
                        + "db.connect-timeout + db.query-timeout + sync.timeout + 1 s (" + worst.toMillis() + " ms)");
            }
        }

        private String describe(DatabaseSettings database, int batchConcurrency) {
            StringBuilder sb = new StringBuilder();
            texts.forEach((key, text) -> {
                String shown = text == null ? "(unset)" : key.secret() && !text.isEmpty() ? "********" : text;
                if (key == Key.DB_POOL_SIZE) {
                    shown = Integer.toString(database.poolSize());
                } else if (key == Key.BATCH_CONCURRENCY) {
                    shown = Integer.toString(batchConcurrency); // resolved, as the pool size: what this node uses
                } else if (key == Key.DB_URL) {
                    shown = database.shownUrl();
                }
                sb.append(key.name()).append('=').append(shown).append('\n');
            });
            return sb.toString();
        }
    }
}
