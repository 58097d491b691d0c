package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.FileLockHolder;
import io.leopard.server.testing.LaunchedLeopard;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leopard serve} that cannot start ends at once with one line naming the cause and what
 * to do, exit code 1, no stack trace, and never says it is ready.
 */
class StartupFailuresIT {
    @TempDir
    Path dir;

    private record Ended(int exit, String output) {
    }

    private Ended serve(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("serve"));
        command.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("LEOPARD_DATA_DIR", dir.resolve("data").toString());
        ProcessBuilder pb = LaunchedLeopard.builder(dir, command, all);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("still running after 60 s: " + Files.readString(pb.redirectOutput().file().toPath()));
        }
        return new Ended(p.exitValue(), Files.readString(pb.redirectOutput().file().toPath()));
    }

    private static void assertOneClearLine(Ended e, String... says) {
        assertThat(e.exit()).as(e.output()).isEqualTo(1);
        List<String> errors = e.output().lines().filter(l -> l.contains("leopard serve: ")).toList();
        assertThat(errors).as(e.output()).hasSize(1);
        assertThat(errors.get(0)).contains(says);
        assertThat(e.output()).doesNotContain("\tat ").doesNotContain("Exception:").doesNotContain("ready on");
    }

    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Ended e = serve(Map.of(), "--port", Integer.toString(taken.getLocalPort()));
            assertOneClearLine(e, "port " + taken.getLocalPort(), "already in use", "--port");
        }
    }

    @Test
    void aDemoThatCannotListenLeavesTheLastDemosDatabaseAlone() throws Exception {
        Path data = dir.resolve("data");
        Path demoFolder = Files.createDirectories(data.resolve("demo"));
        Files.writeString(demoFolder.resolve("leopard.mv.db"), "the last demo's orders");
        Files.writeString(demoFolder.resolve("master.key"), "the last demo's key");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            List<String> command = List.of("demo", "--port", Integer.toString(taken.getLocalPort()));
            ProcessBuilder pb = LaunchedLeopard.builder(dir, command, Map.of("LEOPARD_DATA_DIR", data.toString()));
            Process p = pb.start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(pb.redirectOutput().file().toPath());
            assertThat(p.exitValue()).as(output).isEqualTo(1);
            assertThat(output.lines().filter(l -> !l.isBlank()).toList()).as("one line, nothing logged before it")
                    .singleElement().asString().contains("leopard demo: ", "already in use");
        }
        assertThat(Files.readString(demoFolder.resolve("leopard.mv.db"))).isEqualTo("the last demo's orders");
        assertThat(Files.readString(demoFolder.resolve("master.key"))).isEqualTo("the last demo's key");
    }

    @Test
    void aBadTlsKeystore() throws Exception {
        Path garbage = Files.writeString(dir.resolve("server.p12"), "not a keystore");
        Ended e = serve(Map.of("LEOPARD_TLS_KEYSTORE", garbage.toString()), "--port", "0");
        assertOneClearLine(e, "tls.keystore", garbage.toString());
    }

    @Test
    void anUnreachableDatabase() throws Exception {
        int closed = LaunchedLeopard.freePort();
        Ended e = serve(Map.of("LEOPARD_DB_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/leopard",
                "LEOPARD_DB_CONNECT_TIMEOUT", "1s",
                "LEOPARD_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32])), "--port", "0");
        assertOneClearLine(e, "cannot connect to database", "is the database running");
    }

    @Test
    void anEmbeddedDatabaseHeldByAnotherProcess() throws Exception {
        Path data = Files.createDirectories(dir.resolve("held"));
        Files.createFile(data.resolve("leopard.mv.db"));
        Process holder = FileLockHolder.hold(data.resolve("leopard.mv.db"));
        try {
            Ended e = serve(Map.of("LEOPARD_DATA_DIR", data.toString(),
                    "LEOPARD_MASTER_KEY", Base64.getEncoder().encodeToString(new byte[32])), "--port", "0");
            assertOneClearLine(e, "stop it first");
        } finally {
            holder.getOutputStream().close();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
