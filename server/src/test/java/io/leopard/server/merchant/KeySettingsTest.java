package io.leopard.server.merchant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class KeySettingsTest {
    private static final String KEY = MasterKey.generate();
    private static final String PREVIOUS = MasterKey.generate();

    @Test
    void theKeysAreNeverShown() {
        KeySettings settings = new KeySettings(KEY, Path.of("/srv/master.key"), PREVIOUS, Duration.ofSeconds(2), false);
        assertThat(settings.toString()).doesNotContain(KEY, PREVIOUS)
                .isEqualTo("KeySettings[masterKey=********, masterKeyFile=/srv/master.key, masterKeyPrevious=********, "
                        + "merchantRefresh=PT2S, embeddedDatabase=false]");
    }

    @Test
    void anAbsentKeyIsShownUnset() {
        assertThat(new KeySettings(null, Path.of("k"), " ", Duration.ofMillis(500), true).toString())
                .isEqualTo("KeySettings[masterKey=(unset), masterKeyFile=k, masterKeyPrevious=(unset), "
                        + "merchantRefresh=PT0.5S, embeddedDatabase=true]");
    }
}
