package io.leopard.server.config;

import io.leopard.server.problem.ConfigException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void theDefaultsAreThoseTheReadmeDocuments() {
        LeopardConfig c = LeopardConfig.of(Map.of());
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.pathPrefix()).isEmpty();
        assertThat(c.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.maxBodyBytes()).isEqualTo(16384);
        assertThat(c.maxBatch()).isEqualTo(50);
        assertThat(c.ratePerSecond()).isEqualTo(100);
        assertThat(c.rateBurst()).isEqualTo(200);
        assertThat(c.addressRatePerSecond()).isEqualTo(20);
        assertThat(c.addressRateBurst()).isEqualTo(100);
        assertThat(c.dbQueryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.dbConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.merchantRefresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.shutdownDrain()).isEqualTo(Duration.ZERO);
        assertThat(c.isEmbeddedDb()).isTrue();
        assertThat(c.dbPoolSize()).isEqualTo(32);
        assertThat(c.httpEnabled()).isTrue();
        assertThat(c.tlsKeystore()).isNull();
    }

    @Test
    void aPathPrefixStartsWithASlashAndDoesNotEndWithOne() {
        assertThat(with("path-prefix", "/v2").pathPrefix()).isEqualTo("/v2");
        assertThat(with("path-prefix", "/api/v2").pathPrefix()).isEqualTo("/api/v2");
        for (String bad : new String[] {"v2", "/v2/", "/", "//v2", "/api//v2"}) {
            assertThatThrownBy(() -> with("path-prefix", bad)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("path-prefix");
        }
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
        assertThat(with("rate.burst", "1").rateBurst()).isEqualTo(1);
        assertThat(with("rate.burst", "1000000").rateBurst()).isEqualTo(1_000_000);
    }

    @Test
    void durationsMustBePositiveExceptTheDrain() {
        assertThatThrownBy(() -> with("db.query-timeout", "0s")).hasMessageContaining("db.query-timeout must be a positive duration");
        assertThatThrownBy(() -> with("merchant-refresh", "soon")).hasMessageContaining("merchant-refresh");
        assertThat(with("merchant-refresh", "500ms").merchantRefresh()).isEqualTo(Duration.ofMillis(500));
        assertThat(with("shutdown.drain", "0s").shutdownDrain()).isZero();
        assertThatThrownBy(() -> with("shutdown.drain", "-1s")).hasMessageContaining("shutdown.drain");
    }

    @Test
    void theRequestTimeoutMustOutlastTheDatabasesWorstCase() {
        assertThatThrownBy(() -> LeopardConfig.of(Map.of("http.request-timeout", "6s")))
                .hasMessageContaining("must be longer than db.connect-timeout + db.query-timeout + 1 s (6000 ms)");
        assertThat(with("http.request-timeout", "6001ms").httpRequestTimeout()).isEqualTo(Duration.ofMillis(6001));
    }

    @Test
    void badZonesProxiesAndSwitchesAreRefused() {
        assertThatThrownBy(() -> with("zone", "Mars/Olympus")).hasMessageContaining("zone must be a time zone id");
        assertThatThrownBy(() -> with("trusted-proxies", "10.0.0.0/33")).hasMessageStartingWith("trusted-proxies:");
        assertThatThrownBy(() -> with("http.enabled", "yes")).hasMessageContaining("http.enabled must be true or false");
        assertThatThrownBy(() -> with("http.enabled", "false")).hasMessageContaining("needs tls.keystore");
    }

    @Test
    void unknownKeysAreAnErrorNamingWhereTheyCameFrom(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> with("no-such-key", "1")).hasMessageStartingWith("unknown key \"no-such-key\" in argument");
        Path file = dir.resolve("leopard.properties");
        Files.writeString(file, "prot=8081\n");
        assertThatThrownBy(() -> LeopardConfig.load(file, Map.of())).hasMessageContaining("config file " + file);
    }

    @Test
    void theEnvironmentOverridesTheFileWhichOverridesTheDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("leopard.properties");
        Files.writeString(file, "port = 8081 \npath-prefix=/file\nmax-batch=7\n");
        LeopardConfig c = LeopardConfig.load(file, Map.of("LEOPARD_PATH_PREFIX", "/env", "LEOPARD_DB_POOL_SIZE", "3",
                "LEOPARD_NOT_A_KEY", "ignored", "PATH", "/usr/bin"));
        assertThat(c.port()).isEqualTo(8081);
        assertThat(c.maxBatch()).isEqualTo(7);
        assertThat(c.pathPrefix()).isEqualTo("/env");
        assertThat(c.dbPoolSize()).isEqualTo(3);
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
    }

    @Test
    void withChecksTheOverridesTogether() {
        LeopardConfig c = LeopardConfig.of(Map.of());
        assertThat(c.with("port", "0").port()).isZero();
        assertThatThrownBy(() -> c.with("path-prefix", "nope")).isInstanceOf(ConfigException.class);
        assertThat(c.with(Map.of("http.enabled", "false", "tls.keystore", "/k.p12")).httpEnabled()).isFalse();
    }
}
