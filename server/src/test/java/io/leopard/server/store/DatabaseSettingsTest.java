package io.leopard.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    @Test
    void thePasswordIsNeverShownNeitherAloneNorInTheUrl() {
        DatabaseSettings s = new DatabaseSettings("jdbc:postgresql://db/x?user=u&password=hunter3", "u", "hunter2", 10,
                Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), Path.of("data"), null);
        assertThat(s.toString()).doesNotContain("hunter2", "hunter3").contains("password=********", "poolSize=10");
        assertThat(s.shownUrl()).isEqualTo("jdbc:postgresql://db/x?user=u&password=********");
        assertThat(s.isEmbedded()).isFalse();
        assertThat(s.password()).isEqualTo("hunter2");
    }

    @Test
    void theEmbeddedDefaultLivesInTheDataDir() {
        Path dir = Path.of("/srv/leopard");
        DatabaseSettings s = DatabaseSettings.embedded(dir);
        assertThat(s.url()).isEqualTo("jdbc:h2:file:/srv/leopard/leopard;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64;WRITE_DELAY=0");
        assertThat(s.defaultEmbeddedDbFile()).isEqualTo(dir.resolve("leopard.mv.db"));
        assertThat(s.isEmbedded()).isTrue();
        assertThat(s.poolSize()).isEqualTo(32);
        assertThat(s.toString()).contains("password=,");
        assertThat(DatabaseSettings.defaultPoolSize("jdbc:h2:mem:x")).isEqualTo(32);
        assertThat(DatabaseSettings.defaultPoolSize("jdbc:mariadb://db/x")).isEqualTo(10);
    }
}
