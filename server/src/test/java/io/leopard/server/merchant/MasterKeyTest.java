package io.leopard.server.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.problem.ConfigException;
import io.leopard.server.config.LeopardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void embeddedDatabaseGetsAnOwnerOnlyKeyFileOnce() throws Exception {
        LeopardConfig config = LeopardConfig.of(Map.of("data-dir", dir.resolve("data").toString()));
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
        LeopardConfig config = LeopardConfig.of(Map.of("data-dir", dir.toString(), "master-key", KEY));
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
        assertThat(dir.resolve("master.key")).doesNotExist();
    }

    @Test
    void theEnvironmentVariableIsHonoured() {
        LeopardConfig config = LeopardConfig.load(null, Map.of("LEOPARD_MASTER_KEY", KEY, "LEOPARD_DATA_DIR", dir.toString()));
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
    }

    @Test
    void anExplicitKeyFileIsRead() throws Exception {
        Path file = dir.resolve("my.key");
        Files.writeString(file, KEY + "\n");
        LeopardConfig config = LeopardConfig.of(Map.of("master-key-file", file.toString(),
                "db.url", "jdbc:postgresql://127.0.0.1/x"));
        assertThat(MasterKey.resolve(config).id()).isEqualTo(MasterKey.of(KEY).id());
    }

    @Test
    void aRealDatabaseWithoutAKeyIsAConfigError() {
        LeopardConfig config = LeopardConfig.of(Map.of("data-dir", dir.toString(), "db.url", "jdbc:postgresql://127.0.0.1/x"));
        assertThatThrownBy(() -> MasterKey.resolve(config)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("LEOPARD_MASTER_KEY");
        assertThat(dir.resolve("master.key")).doesNotExist();
    }

    @Test
    void badKeysAreConfigErrorsThatDoNotEchoTheKey() throws Exception {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> MasterKey.resolve(LeopardConfig.of(Map.of("master-key", shortKey))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("32 bytes").message().doesNotContain(shortKey);
        assertThatThrownBy(() -> MasterKey.resolve(LeopardConfig.of(Map.of("master-key", "not base64 !!"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("base64");
        Path file = dir.resolve("bad.key");
        Files.writeString(file, "garbage");
        assertThatThrownBy(() -> MasterKey.resolve(LeopardConfig.of(Map.of("master-key-file", file.toString()))))
                .isInstanceOf(ConfigException.class).hasMessageContaining(file.toString());
    }
}
