package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.LaunchedLeopard;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's default JVM flags, checked by running a JVM with them. */
class LauncherDefaultsIT {
    @TempDir
    Path dir;

    @Test
    void aJvmWithTheLaunchersFlagsExitsWhenItCanNoLongerAllocate() throws Exception {
        ProcessBuilder print = LaunchedLeopard.builder(dir, List.of(), Map.of("LEOPARD_PRINT_JAVA_OPTS", "1"));
        Process p = print.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> options = java.nio.file.Files.readAllLines(print.redirectOutput().file().toPath());
        assertThat(p.exitValue()).as("printed: %s", options).isZero();
        assertThat(options).contains("-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-Djdk.readPollers=1");

        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(options);
        command.addAll(List.of("-cp", Paths.get("target", "test-classes").toAbsolutePath().toString(), HeapHog.class.getName()));
        Process hog = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean ended = hog.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            hog.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(hog.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(ended).as("the JVM ended by itself; output:%n%s", output).isTrue();
        assertThat(hog.exitValue()).as("ExitOnOutOfMemoryError's status").isEqualTo(3);
        assertThat(output).contains("allocating").contains("Terminating due to java.lang.OutOfMemoryError");
    }
}
