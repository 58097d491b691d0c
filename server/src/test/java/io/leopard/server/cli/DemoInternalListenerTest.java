package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.config.LeopardConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's internal listener: a generated token fit for {@code internal.tokens}, and the banner that shows it once. */
class DemoInternalListenerTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedTokenIsLongRandomAndAcceptedByTheConfiguration() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String token = InternalTokenFile.generate();
            assertThat(token).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
            seen.add(token);
            assertThat(LeopardConfig.of(Map.of("internal.tokens", token)).settings().internal().tokens()).containsExactly(token);
        }
        assertThat(seen).hasSize(50);
    }

    @Test
    void theBannerShowsAGeneratedTokenOnceWithACurlThatUsesIt() {
        String token = InternalTokenFile.generate();
        List<String> lines = DemoCommand.internalBanner("http://127.0.0.1:8081", token, dir, "./leopard");
        String all = String.join("\n", lines);
        assertThat(all.split(java.util.regex.Pattern.quote(token), -1)).as("the token line and the curl").hasSize(3);
        assertThat(lines).anySatisfy(l -> assertThat(l)
                .isEqualTo("  curl -s -H \"Authorization: Bearer " + token + "\" http://127.0.0.1:8081/internal/v1/merchants"));
        assertThat(all).contains("LEOPARD_DATA_DIR=" + dir + " ./leopard merchant list")
                .contains(dir.resolve("internal.token").toString());

        String configured = String.join("\n", DemoCommand.internalBanner("http://127.0.0.1:8081", null, dir, "./leopard"));
        assertThat(configured).contains("Bearer $TOKEN").doesNotContain("internal.token ");
    }

    @Test
    void theTokenFileIsTheOwnersOnlyAndGoesAway() throws Exception {
        Path file = InternalTokenFile.write(dir, "a-token-of-the-demo-0123");
        assertThat(Files.getPosixFilePermissions(file)).extracting(Object::toString)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(InternalTokenFile.read(dir)).hasValue("a-token-of-the-demo-0123");
        InternalTokenFile.delete(dir);
        assertThat(InternalTokenFile.read(dir)).isEmpty();
        assertThat(file).doesNotExist();
    }
}
