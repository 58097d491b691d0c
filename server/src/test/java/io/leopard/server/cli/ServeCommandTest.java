package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;

    @Test
    void theReadyMarkerIsCreatedWhenAsked() {
        Path marker = dir.resolve("leopard-1.jsa.ready");
        ServeCommand.markReady(marker.toString());
        assertThat(marker).isRegularFile().isEmptyFile();
        ServeCommand.markReady(marker.toString());
        assertThat(marker).as("a second start finds it there").isRegularFile();
    }

    @Test
    void aMarkerThatCannotBeWrittenOrIsNotAskedForChangesNothing() {
        assertThatCode(() -> ServeCommand.markReady(dir.resolve("missing/folder/x.ready").toString())).doesNotThrowAnyException();
        assertThatCode(() -> ServeCommand.markReady("\0bad")).doesNotThrowAnyException();
        assertThatCode(() -> ServeCommand.markReady(null)).doesNotThrowAnyException();
        assertThatCode(() -> ServeCommand.markReady("")).doesNotThrowAnyException();
        assertThat(Files.exists(dir.resolve("missing"))).isFalse();
    }
}
