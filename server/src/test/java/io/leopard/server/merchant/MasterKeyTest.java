package io.leopard.server.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.config.LeopardConfig;
import io.leopard.server.problem.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private static KeySettings keys(String masterKey, Path file, boolean embeddedDatabase) {
        return new KeySettings(masterKey, file, null, Duration.ofSeconds(2), embeddedDatabase);
    }

    @Test
    void embeddedDatabaseGetsAnOwnerOnlyKeyFileOnce() throws Exception {
        KeySettings config = keys(null, dir.resolve("data/master.key"), true);
        MasterKey first = MasterKey.resolve(config);
        Path file = dir.resolve("data/master.key");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).trim())).hasSize(32);
        MasterKey second = MasterKey.resolve(config);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(first.toString()).doesNotContain(Files.readString(file).trim());
    }

    @Test
    void aGivenKeyWinsOverTheFile() {
        KeySettings config = keys(KEY, dir.resolve("master.key"), true);
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
        assertThat(dir.resolve("master.key")).doesNotExist();
    }

    @Test
    void theEnvironmentVariableIsHonoured() {
        KeySettings config = LeopardConfig.load(null, Map.of("LEOPARD_MASTER_KEY", KEY, "LEOPARD_DATA_DIR", dir.toString()))
                .settings().keys();
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
    }

    @Test
    void anExplicitKeyFileIsRead() throws Exception {
        Path file = dir.resolve("my.key");
        Files.writeString(file, KEY + "\n");
        KeySettings config = keys(null, file, false);
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
    }

    @Test
    void aRealDatabaseWithoutAKeyIsAConfigError() {
        KeySettings config = keys(null, dir.resolve("master.key"), false);
        assertThatThrownBy(() -> MasterKey.resolve(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LEOPARD_MASTER_KEY");
        assertThat(dir.resolve("master.key")).doesNotExist();
    }

    @Test
    void badKeysAreConfigErrorsThatDoNotEchoTheKey() throws Exception {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.resolve(keys(shortKey, dir.resolve("master.key"), true)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").message().doesNotContain(shortKey);
        assertThatThrownBy(() -> MasterKey.resolve(keys("not base64 !!", dir.resolve("master.key"), true)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("base64");
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> MasterKey.resolve(keys(null, file, true)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString());
    }
}
