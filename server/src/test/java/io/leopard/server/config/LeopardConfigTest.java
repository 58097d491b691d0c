package io.leopard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.Settings;
import io.leopard.server.ShutdownSettings;
import io.leopard.server.access.CidrRange;
import io.leopard.server.internal.InternalSettings;
import io.leopard.server.access.RateSettings;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.query.QuerySettings;
import io.leopard.server.store.DatabaseSettings;
import io.leopard.server.web.TlsSettings;
import io.leopard.server.web.connection.ConnectionLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every value is checked once, when the configuration is made; a bad one names its key. */
class LeopardConfigTest {

    private static LeopardConfig with(String key, String value) {
        return LeopardConfig.of(Map.of(key, value));
    }

    private static Settings settings(String key, String value) {
        return with(key, value).settings();
    }

    @Test
    void theDefaultsAreThoseTheReadmeDocuments() {
        Settings s = LeopardConfig.of(Map.of()).settings();
        assertThat(s.web().host()).isEqualTo("0.0.0.0");
        assertThat(s.web().port()).isEqualTo(8080);
        assertThat(s.web().pathPrefix()).isEmpty();
        assertThat(s.query()).isEqualTo(new QuerySettings(50, ZoneId.of("Asia/Shanghai")));
        assertThat(s.web().maxBodyBytes()).isEqualTo(16384);
        assertThat(s.rates()).isEqualTo(new RateSettings(100, 200, 20, 100));
        assertThat(s.database().queryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.database().connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.database().breakerOpen()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.keys().merchantRefresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.shutdown()).isEqualTo(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(10)));
        assertThat(s.database().isEmbedded()).isTrue();
        assertThat(s.database().poolSize()).isEqualTo(32);
        assertThat(s.web().httpEnabled()).isTrue();
        assertThat(s.web().tls()).isNull();
        assertThat(s.web().trustedProxies()).isEmpty();
        assertThat(s.web().connections()).isEqualTo(new ConnectionLimits(1024, 256, Duration.ofSeconds(75), Duration.ofSeconds(10)));
        assertThat(s.dataDir()).isEqualTo(Path.of("data"));
    }

    @Test
    void theDefaultDatabaseIsEmbeddedInTheDataDir(@TempDir Path dir) {
        DatabaseSettings db = settings("data-dir", dir.toString()).database();
        assertThat(db.url()).isEqualTo("jdbc:h2:file:" + dir.toAbsolutePath().resolve("leopard")
                + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0");
        assertThat(db.defaultEmbeddedDbFile()).isEqualTo(dir.resolve("leopard.mv.db"));
        assertThat(db.dataDir()).isEqualTo(dir);
        assertThat(db).isEqualTo(DatabaseSettings.embedded(dir));
        assertThat(settings("db.url", "").database().isEmbedded()).as("empty is the default").isTrue();
    }

    @Test
    void aConfiguredDatabaseHasNoDefaultFileAndTheServerPoolSize() {
        DatabaseSettings db = LeopardConfig.of(Map.of("db.url", "jdbc:postgresql://db/leopard", "db.user", "leo")).settings().database();
        assertThat(db.url()).isEqualTo("jdbc:postgresql://db/leopard");
        assertThat(db.user()).isEqualTo("leo");
        assertThat(db.isEmbedded()).isFalse();
        assertThat(db.defaultEmbeddedDbFile()).isNull();
        assertThat(db.poolSize()).isEqualTo(10);
        assertThat(LeopardConfig.of(Map.of("db.url", "jdbc:postgresql://db/leopard", "db.pool-size", "4")).settings()
                .database().poolSize()).isEqualTo(4);
        assertThat(settings("db.url", "jdbc:h2:mem:x").database().poolSize()).as("any H2 is embedded").isEqualTo(32);
    }

    @Test
    void theMasterKeyFileIsInTheDataDirUnlessNamed(@TempDir Path dir) {
        assertThat(settings("data-dir", dir.toString()).keys().masterKeyFile()).isEqualTo(dir.resolve("master.key"));
        assertThat(LeopardConfig.of(Map.of("data-dir", dir.toString(), "master-key-file", "")).settings().keys().masterKeyFile())
                .isEqualTo(dir.resolve("master.key"));
        assertThat(settings("master-key-file", "/etc/leopard/key").keys().masterKeyFile()).isEqualTo(Path.of("/etc/leopard/key"));
        assertThat(settings("db.url", "jdbc:mariadb://db/x").keys().embeddedDatabase()).isFalse();
        assertThat(LeopardConfig.of(Map.of()).settings().keys().embeddedDatabase()).isTrue();
        assertThat(LeopardConfig.of(Map.of()).settings().keys().masterKey()).isNull();
    }

    @Test
    void aKeystoreTurnsOnHttps() {
        Settings s = LeopardConfig.of(Map.of("tls.keystore", "/k.p12", "tls.keystore-password", "pw-1234", "tls.port", "9443"))
                .settings();
        assertThat(s.web().tls()).isEqualTo(new TlsSettings(9443, Path.of("/k.p12"), "pw-1234"));
        assertThat(settings("tls.keystore", "").web().tls()).as("empty is none").isNull();
    }

    @Test
    void trustedProxiesAreParsedOnce() {
        assertThat(settings("trusted-proxies", "10.0.0.0/8, 192.168.1.1").web().trustedProxies())
                .isEqualTo(CidrRange.parseList("10.0.0.0/8,192.168.1.1")).hasSize(2);
        assertThatThrownBy(() -> with("trusted-proxies", "10.0.0.0/33")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("trusted-proxies: ");
    }

    @Test
    void aPathPrefixStartsWithASlashAndDoesNotEndWithOne() {
        assertThat(settings("path-prefix", "/v2").web().pathPrefix()).isEqualTo("/v2");
        assertThat(settings("path-prefix", "/api/v2").web().pathPrefix()).isEqualTo("/api/v2");
        assertThat(settings("path-prefix", "/api.v2/shop_1~x-y").web().pathPrefix()).isEqualTo("/api.v2/shop_1~x-y");
        for (String literalOnly : new String[] {"/api/*", "/v{n}", "/v[12]", "/a%20b", "/a;b", "/a/./b", "/a/..", "/.", "/a b", "/ü"}) {
            assertThatThrownBy(() -> with("path-prefix", literalOnly)).as(literalOnly)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("path-prefix may hold only");
        }
        for (String bad : new String[] {"v2", "/v2/", "/", "//v2", "/api//v2"}) {
            assertThatThrownBy(() -> with("path-prefix", bad)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("path-prefix");
        }
        assertThatThrownBy(() -> with("path-prefix", "v2"))
                .hasMessage("path-prefix must be empty or start with / and not end with /, e.g. /v2; got \"v2\"");
    }

    @Test
    void numbersOutsideTheirRangeNameTheKey() {
        assertThatThrownBy(() -> with("port", "65536")).hasMessage("port must be between 0 and 65535; got 65536");
        assertThatThrownBy(() -> with("port", "eighty")).hasMessage("port must be a whole number; got \"eighty\"");
        assertThatThrownBy(() -> with("max-batch", "0")).hasMessageContaining("max-batch");
        assertThatThrownBy(() -> with("rate.per-second", "0")).hasMessageContaining("rate.per-second");
        assertThatThrownBy(() -> with("rate.burst", "0")).hasMessageContaining("rate.burst");
        assertThatThrownBy(() -> with("rate.address-per-second", "0")).hasMessageContaining("rate.address-per-second");
        assertThatThrownBy(() -> with("rate.address-burst", "0")).hasMessageContaining("rate.address-burst");
        assertThat(settings("rate.burst", "1").rates().burst()).isEqualTo(1);
        assertThat(settings("rate.burst", "1000000").rates().burst()).isEqualTo(1_000_000);
    }

    @Test
    void everyRangeIsEnforcedAtBothEnds() {
        assertThatThrownBy(() -> with("max-batch", "1001")).hasMessage("max-batch must be between 1 and 1000; got 1001");
        assertThatThrownBy(() -> with("max-body-bytes", "1023")).hasMessage("max-body-bytes must be between 1024 and 16777216; got 1023");
        assertThatThrownBy(() -> with("tls.port", "-1")).hasMessage("tls.port must be between 0 and 65535; got -1");
        assertThatThrownBy(() -> with("db.pool-size", "0")).hasMessage("db.pool-size must be between 1 and 1000; got 0");
        assertThatThrownBy(() -> with("db.pool-size", "many")).hasMessage("db.pool-size must be a whole number; got \"many\"");
        assertThatThrownBy(() -> with("http.max-connections", "0"))
                .hasMessage("http.max-connections must be between 1 and 1000000; got 0");
        assertThatThrownBy(() -> with("http.max-connections-per-address", "1000001"))
                .hasMessage("http.max-connections-per-address must be between 1 and 1000000; got 1000001");
        assertThat(settings("max-batch", "1000").query().maxBatch()).isEqualTo(1000);
        assertThat(settings("max-body-bytes", "1024").web().maxBodyBytes()).isEqualTo(1024);
    }

    @Test
    void aBadRedisUrlNamesTheKeyAndNeverShowsThePassword() {
        for (String bad : new String[] {"http://user:pw-s3cr3t@host:6379", "redis://:pw-s3cr3t@", "redis://user:pw-s3cr3t@host:99999",
                "redis://user:pw-s3cr3t@host:6379/db", "redis://user:pw-s3cr3t@host:6379?x=1", "not a url pw-s3cr3t"}) {
            assertThatThrownBy(() -> with("redis.url", bad)).as(bad).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("redis.url ").hasMessageEndingWith("(the value is not shown: it may hold a password)")
                    .hasMessageNotContaining("s3cr3t");
        }
        assertThatThrownBy(() -> with("redis.key-prefix", "has space")).hasMessageStartingWith("redis.key-prefix must be");
        assertThatThrownBy(() -> with("cluster.expected-nodes", "0")).hasMessage("cluster.expected-nodes must be between 1 and 1000; got 0");
        assertThatThrownBy(() -> with("redis.timeout", "0ms")).hasMessageContaining("redis.timeout must be a positive duration");
        assertThat(settings("redis.url", "").redis().enabled()).as("empty: no Redis").isFalse();
        assertThat(settings("redis.url", " redis://127.0.0.1:6379 ").redis().url()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(settings("redis.url", "rediss://u:p@cache.example:6380/2").redis().shownUrl()).isEqualTo("rediss://cache.example:6380/2");
        assertThat(settings("redis.timeout", "20ms").redis().timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings("cluster.expected-nodes", "3").redis().share(100)).isEqualTo(33);
        assertThat(settings("cluster.expected-nodes", "3").redis().share(2)).as("never below 1").isEqualTo(1);
    }

    @Test
    void batchConcurrencyIsTheCoresEmbeddedUnboundedOnAServerOrAsConfigured() {
        assertThat(LeopardConfig.of(Map.of()).settings().query().batchConcurrency())
                .isEqualTo(Runtime.getRuntime().availableProcessors());
        String pg = "jdbc:postgresql://127.0.0.1:5432/leopard";
        assertThat(LeopardConfig.of(Map.of("db.url", pg)).settings().query().batchConcurrency()).isZero();
        assertThat(LeopardConfig.of(Map.of("db.url", pg, "query.batch-concurrency", "4")).settings().query()
                .batchConcurrency()).isEqualTo(4);
        assertThat(settings("query.batch-concurrency", "0").query().batchConcurrency()).isZero();
        assertThatThrownBy(() -> with("query.batch-concurrency", "-1"))
                .hasMessage("query.batch-concurrency must be between 0 and 1000; got -1");
        assertThatThrownBy(() -> with("query.batch-concurrency", "1001"))
                .hasMessage("query.batch-concurrency must be between 0 and 1000; got 1001");
    }

    @Test
    void durationsMustBePositiveExceptTheDrain() {
        assertThatThrownBy(() -> with("db.query-timeout", "0s")).hasMessageContaining("db.query-timeout must be a positive duration");
        assertThatThrownBy(() -> with("merchant-refresh", "soon")).hasMessageContaining("merchant-refresh");
        assertThat(settings("merchant-refresh", "500ms").keys().merchantRefresh()).isEqualTo(Duration.ofMillis(500));
        assertThat(settings("shutdown.drain", "0s").shutdown().drain()).isZero();
        assertThatThrownBy(() -> with("shutdown.drain", "-1s")).hasMessageContaining("shutdown.drain");
    }

    @Test
    void durationMessagesAreExact() {
        assertThatThrownBy(() -> with("shutdown.grace", "0s"))
                .hasMessage("shutdown.grace must be a positive duration such as 500ms, 3s, 2m or 24h; got \"0s\"");
        assertThatThrownBy(() -> with("http.idle-timeout", "75"))
                .hasMessage("http.idle-timeout must be a positive duration such as 500ms, 3s, 2m or 24h; got \"75\"");
        assertThatThrownBy(() -> with("shutdown.drain", "later"))
                .hasMessage("shutdown.drain must be a duration such as 0s, 500ms, 3s or 2m; got \"later\"");
        assertThat(settings("shutdown.grace", "2m").shutdown().grace()).isEqualTo(Duration.ofMinutes(2));
        assertThat(settings("shutdown.drain", "5s").shutdown().total()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void theRequestTimeoutMustOutlastTheDatabasesWorstCase() {
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("http.request-timeout", "6s")))
                .hasMessageContaining("must be longer than db.connect-timeout + db.query-timeout + 1 s (6000 ms)");
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("http.request-timeout", "7s")))
                .hasMessageContaining("must be longer than db.connect-timeout + db.query-timeout + sync.timeout + 1 s (7000 ms)");
        assertThat(settings("http.request-timeout", "7001ms").web().connections().requestTimeout())
                .isEqualTo(Duration.ofMillis(7001));
        assertThatThrownBy(() -> with("db.query-timeout", "8s"))
                .hasMessage("http.request-timeout (10000 ms) must be longer than db.connect-timeout + db.query-timeout + 1 s (11000 ms)");
        assertThat(LeopardConfig.of(Map.of("db.query-timeout", "8s", "http.request-timeout", "13s")).settings()
                .database().queryTimeout()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void badZonesProxiesAndSwitchesAreRefused() {
        assertThatThrownBy(() -> with("zone", "Mars/Olympus")).hasMessageContaining("zone must be a time zone id");
        assertThatThrownBy(() -> with("zone", "Mars/Olympus"))
                .hasMessage("zone must be a time zone id such as Asia/Shanghai; got \"Mars/Olympus\"");
        assertThatThrownBy(() -> with("trusted-proxies", "10.0.0.0/33")).hasMessageStartingWith("trusted-proxies:");
        assertThatThrownBy(() -> with("http.enabled", "yes")).hasMessageContaining("http.enabled must be true or false");
        assertThatThrownBy(() -> with("http.enabled", "yes")).hasMessage("http.enabled must be true or false; got \"yes\"");
        assertThatThrownBy(() -> with("http.enabled", "false")).hasMessageContaining("needs tls.keystore");
        assertThatThrownBy(() -> with("http.enabled", "false"))
                .hasMessage("http.enabled=false needs tls.keystore: otherwise nothing would listen");
        assertThat(settings("http.enabled", "TRUE").web().httpEnabled()).isTrue();
        assertThat(settings("zone", "UTC").query().zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void unknownKeysAreAnErrorNamingWhereTheyCameFrom(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> with("no-such-key", "1")).hasMessageStartingWith("unknown key \"no-such-key\" in argument");
        Path file = dir.resolve("leopard.properties");
        Files.writeString(file, "prot=8081\n");
        assertThatThrownBy(() -> LeopardConfig.load(file, Map.of())).hasMessageContaining("config file " + file);
        assertThatThrownBy(() -> LeopardConfig.load(file, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("unknown key \"prot\" in config file " + file + "; known keys: host, port, path-prefix, ")
                .hasMessageEndingWith(", http.idle-timeout, http.request-timeout, internal.host, internal.port, internal.tokens, "
                        + "internal.tls.keystore, internal.tls.keystore-password, internal.tls.truststore, "
                        + "internal.tls.truststore-password, internal.max-body-bytes, events.amqp.uri, events.amqp.queue, "
                        + "events.amqp.prefetch, playground.enabled, channels.wechat.base-url, channels.alipay.gateway, "
                        + "channels.trust-ca, sync.min-interval, sync.timeout, sync.expiry, sync.card-present-expiry, "
                        + "sync.card-present-every, sync.sweeper.enabled, sync.sweeper.concurrency, sync.channel-rate, "
                        + "notify.enabled, notify.connect-timeout, notify.timeout, notify.retries, notify.concurrency, "
                        + "notify.per-merchant, notify.allow-private-networks, notify.retention, redis.url, redis.timeout, "
                        + "redis.key-prefix, cluster.expected-nodes");
        assertThatThrownBy(() -> LeopardConfig.of(Map.of()).with("prot", "1")).hasMessageStartingWith("unknown key \"prot\" in override");
    }

    @Test
    void aMissingOrMalformedFileIsAConfigError(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none.properties");
        assertThatThrownBy(() -> LeopardConfig.load(missing, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("cannot read config file " + missing);
        Path bad = Files.writeString(dir.resolve("bad.properties"), "port=\\u00zz\n");
        assertThatThrownBy(() -> LeopardConfig.load(bad, Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("config file " + bad + " is malformed");
    }

    @Test
    void keysAreMatchedIgnoringCaseWithDotsDashesAndUnderscoresAlike(@TempDir Path dir) throws Exception {
        assertThat(settings("DB_POOL_SIZE", "3").database().poolSize()).isEqualTo(3);
        assertThat(settings("Rate.Address_Burst", "7").rates().addressBurst()).isEqualTo(7);
        Path file = Files.writeString(dir.resolve("leopard.properties"), "HTTP_MAX-CONNECTIONS=9\n");
        assertThat(LeopardConfig.load(file, Map.of()).settings().web().connections().maxConnections()).isEqualTo(9);
    }

    @Test
    void theEnvironmentOverridesTheFileWhichOverridesTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leopard.properties");
        Files.writeString(file, "port = 8081 \npath-prefix=/file\nmax-batch=7\n");
        LeopardConfig c = LeopardConfig.load(file, Map.of("LEOPARD_PATH_PREFIX", "/env", "LEOPARD_DB_POOL_SIZE", "3",
                "LEOPARD_NOT_A_KEY", "ignored", "PATH", "/usr/bin"));
        assertThat(c.settings().web().port()).isEqualTo(8081);
        assertThat(c.settings().query().maxBatch()).isEqualTo(7);
        assertThat(c.settings().web().pathPrefix()).isEqualTo("/env");
        assertThat(c.settings().database().poolSize()).isEqualTo(3);
        assertThat(LeopardConfig.load(null, Map.of("LEOPARD_PORT", " 9090 ")).settings().web().port()).as("trimmed").isEqualTo(9090);
        assertThat(LeopardConfig.load(null, Map.of("PORT", "9090")).settings().web().port()).as("only LEOPARD_*").isEqualTo(8080);
    }

    @Test
    void aBadPathPrefixFromTheEnvironmentStopsStartUpToo() {
        assertThatThrownBy(() -> LeopardConfig.load(null, Map.of("LEOPARD_PATH_PREFIX", "v2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("path-prefix");
    }

    @Test
    void theEffectiveConfigurationMasksSecrets() {
        LeopardConfig c = LeopardConfig.of(Map.of("db.password", "hunter2", "master-key", "c2VjcmV0",
                "db.url", "jdbc:postgresql://db/leopard?user=x&password=hunter3"));
        String shown = c.describe();
        assertThat(shown).doesNotContain("hunter2", "hunter3", "c2VjcmV0")
                .contains("db.password=********", "master-key=********", "db.pool-size=10",
                        "db.url=jdbc:postgresql://db/leopard?user=x&password=********");
        assertThat(c.settings().toString()).doesNotContain("hunter2", "hunter3", "c2VjcmV0");
    }

    @Test
    void theEffectiveConfigurationIsEveryKeyInTheTablesOrder(@TempDir Path dir) {
        String shown = LeopardConfig.of(Map.of("data-dir", dir.toString(), "port", "0")).describe();
        String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("leopard") + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0";
        assertThat(shown).isEqualTo("""
                host=0.0.0.0
                port=0
                path-prefix=
                data-dir=%s
                db.url=%s
                db.user=
                db.password=
                db.pool-size=32
                db.query-timeout=3s
                db.connect-timeout=2s
                db.breaker-open=1s
                master-key=(unset)
                master-key-file=(unset)
                zone=Asia/Shanghai
                max-body-bytes=16384
                max-batch=50
                query.batch-concurrency=%d
                feed.settle=5s
                merchant-refresh=2s
                master-key-previous=(unset)
                http.enabled=true
                tls.port=8443
                tls.keystore=(unset)
                tls.keystore-password=
                shutdown.drain=0s
                shutdown.grace=10s
                rate.per-second=100
                rate.burst=200
                rate.address-per-second=20
                rate.address-burst=100
                trusted-proxies=
                http.max-connections=1024
                http.max-connections-per-address=256
                http.idle-timeout=75s
                http.request-timeout=10s
                internal.host=127.0.0.1
                internal.port=8081
                internal.tokens=
                internal.tls.keystore=(unset)
                internal.tls.keystore-password=
                internal.tls.truststore=(unset)
                internal.tls.truststore-password=
                internal.max-body-bytes=1048576
                events.amqp.uri=
                events.amqp.queue=leopard.orders
                events.amqp.prefetch=1000
                playground.enabled=false
                channels.wechat.base-url=https://api.mch.weixin.qq.com
                channels.alipay.gateway=https://openapi.alipay.com/gateway.do
                channels.trust-ca=(unset)
                sync.min-interval=2s
                sync.timeout=1s
                sync.expiry=2h
                sync.card-present-expiry=60s
                sync.card-present-every=5s
                sync.sweeper.enabled=true
                sync.sweeper.concurrency=8
                sync.channel-rate=100
                notify.enabled=true
                notify.connect-timeout=2s
                notify.timeout=5s
                notify.retries=15s,15s,30s,3m,10m,20m,30m,30m,30m,60m,3h,3h,3h,6h,6h
                notify.concurrency=16
                notify.per-merchant=4
                notify.allow-private-networks=false
                notify.retention=30d
                redis.url=
                redis.timeout=50ms
                redis.key-prefix=leopard:
                cluster.expected-nodes=1
                """.formatted(dir, url, Runtime.getRuntime().availableProcessors()));
        assertThat(LeopardConfig.of(Map.of()).settings().description()).isEqualTo(LeopardConfig.of(Map.of()).describe());
    }

    @Test
    void channelUrlsMustBeHttpUrlsWithAHost() {
        assertThat(settings("channels.wechat.base-url", "http://127.0.0.1:18100").channels().wechat("pay/orderquery"))
                .hasToString("http://127.0.0.1:18100/pay/orderquery");
        assertThat(settings("channels.wechat.base-url", "http://127.0.0.1:18100/").channels().wechat("pay/orderquery"))
                .hasToString("http://127.0.0.1:18100/pay/orderquery");
        for (String bad : new String[] {"ftp://x", "127.0.0.1:80", "http://", "https://h/?a=b", "not a url"}) {
            assertThatThrownBy(() -> with("channels.alipay.gateway", bad)).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("channels.alipay.gateway must be an http:// or https:// URL");
        }
        assertThat(settings("sync.timeout", "250ms").sync().timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void withChecksTheOverridesTogether() {
        LeopardConfig c = LeopardConfig.of(Map.of());
        assertThat(c.with("port", "0").settings().web().port()).isZero();
        assertThatThrownBy(() -> c.with("path-prefix", "nope")).isInstanceOf(ConfigException.class);
        assertThat(c.with(Map.of("http.enabled", "false", "tls.keystore", "/k.p12")).settings().web().httpEnabled()).isFalse();
        assertThat(c.with("port", "0").with("port", "1").settings().web().port()).as("the last override wins").isEqualTo(1);
        assertThat(c.settings().web().port()).as("the original is unchanged").isEqualTo(8080);
    }

    @Test
    void theInternalKeystoreAndTruststoreComeTogether() {
        Map<String, String> tokens = Map.of("internal.tokens", "internal-token-0123456789abcdef");
        LeopardConfig c = LeopardConfig.of(tokens);
        assertThatThrownBy(() -> c.with("internal.tls.keystore", "/server.p12"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("internal.tls.keystore and internal.tls.truststore go together");
        assertThatThrownBy(() -> c.with("internal.tls.truststore", "/clients.p12"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("internal.tls.keystore and internal.tls.truststore go together");
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("internal.tls.keystore", "/server.p12",
                "internal.tls.truststore", "/clients.p12")))
                .as("TLS without tokens would configure a listener that is off")
                .isInstanceOf(ConfigException.class).hasMessageContaining("internal.tokens");
        InternalSettings internal = c.with(Map.of("internal.tls.keystore", "/server.p12", "internal.tls.keystore-password", "ks-pw-1234",
                "internal.tls.truststore", "/clients.p12", "internal.tls.truststore-password", "ts-pw-5678")).settings().internal();
        assertThat(internal.tls()).isEqualTo(new InternalSettings.InternalTls(Path.of("/server.p12"), "ks-pw-1234",
                Path.of("/clients.p12"), "ts-pw-5678"));
        assertThat(internal.toString()).doesNotContain("ks-pw-1234").doesNotContain("ts-pw-5678");
        assertThat(c.settings().internal().tls()).as("plain HTTP without them").isNull();
    }
}
