package io.leopard.server.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.Settings;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoFolderTest {
    @TempDir
    Path dir;

    @Test
    void theFolderIsDemoUnderTheDataDir() {
        assertThat(DemoFolder.of(LeopardConfig.of(Map.of()).settings().dataDir())).isEqualTo(Path.of("data", "demo"));
        assertThat(DemoFolder.of(Path.of("/srv/leopard"))).isEqualTo(Path.of("/srv/leopard/demo"));
    }

    @Test
    void resetRemovesThePreviousDemoAndNothingElse() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("demo"));
        for (String name : List.of("leopard.mv.db", "leopard.trace.db", "master.key", "notes.txt")) {
            Files.writeString(folder.resolve(name), "x");
        }
        DemoFolder.reset(folder);
        try (var left = Files.list(folder)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
        DemoFolder.reset(dir.resolve("new/demo"));
        assertThat(dir.resolve("new/demo")).isDirectory();
    }

    /** What the README promises: the kept database can be served again from its folder alone. */
    @Test
    void theKeptDatabaseOpensWithItsFolderAsDataDir() {
        Path folder = dir.resolve("demo");
        DemoFolder.reset(folder);
        LeopardConfig elsewhere = LeopardConfig.of(Map.of("master-key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="));
        DemoSeeder.seed(DemoFolder.config(elsewhere, folder).settings());
        assertThat(folder.resolve("master.key")).isRegularFile();

        Settings again = LeopardConfig.of(Map.of("data-dir", folder.toString())).settings();
        try (Database db = Database.open(again.database())) {
            assertThat(Merchants.store(again.keys(), db).loadAll()).as("the keys decrypt with the folder's master key file")
                    .extracting(Merchant::key)
                    .containsExactlyInAnyOrderElementsOf(DemoFixture.MERCHANTS.stream().map(DemoFixture.DemoMerchant::key).toList());
        }
        assertThatThrownBy(() -> DemoFolder.config(elsewhere, folder)).as("the folder must be made fresh first")
                .hasMessageContaining("already exists");
    }
}
