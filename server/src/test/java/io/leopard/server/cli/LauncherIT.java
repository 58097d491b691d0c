package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leopard serve} as an operator runs it: the launcher script, the packaged jar and its
 * default JVM flags. Runs in the {@code integration-test} phase, after the jar is built.
 */
class LauncherIT {
    private static final Path MODULE = Paths.get("").toAbsolutePath();
    private static final Path LAUNCHER = MODULE.getParent().resolve("leopard");
    private static final Path CDS_DIR = MODULE.resolve("target/cds");

    @TempDir
    Path dir;

    /**
     * The first start writes the class archive when it stops; the next start maps it. Archives are
     * keyed by the jar, which was just built, so the first start here never finds one.
     */
    @Test
    void theSecondStartMapsTheClassArchiveTheFirstWroteAtItsExit() throws Exception {
        assumeThat(Files.isReadable(Paths.get("/proc/self/maps"))).as("needs /proc (Linux)").isTrue();
        assertThat(LAUNCHER).isExecutable();

        Started first = start();
        try {
            assertThat(maps(first.process)).doesNotContain(CDS_DIR.toString());
        } finally {
            stop(first);
        }
        List<Path> written = archives();
        assertThat(written).as("archive written at the first exit, older ones removed (unless another ./leopard serve"
                + " of this checkout holds target/cds/lock)").hasSize(1);

        Started second = start();
        try {
            assertThat(maps(second.process)).contains(written.get(0).toString());
        } finally {
            stop(second);
        }
        assertThat(archives()).containsExactlyElementsOf(written);

        for (Started s : List.of(first, second)) {
            assertThat(Files.readString(s.log)).contains("Leopard ready on").doesNotContain("[cds").doesNotContain("warning:");
        }
    }

    private record Started(Process process, Path log) {
    }

    private Started start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile(dir, "serve-", ".log");
        ProcessBuilder pb = new ProcessBuilder(LAUNCHER.toString(), "serve", "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LEOPARD_"));
        pb.environment().put("LEOPARD_DATA_DIR", dir.resolve("data").toString());
        pb.environment().put("LEOPARD_HOST", "127.0.0.1");
        Process process = pb.start();
        try {
            awaitReady(process, port, log);
        } catch (Throwable e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
        return new Started(process, log);
    }

    private static void awaitReady(Process process, int port, Path log) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(process.isAlive()).as("server running; log:%n%s", Files.readString(log)).isTrue();
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("ready within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** SIGTERM, as a service manager stops it; the archive is written before the JVM exits. */
    private static void stop(Started s) throws InterruptedException {
        s.process.destroy();
        if (!s.process.waitFor(60, TimeUnit.SECONDS)) {
            s.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within 60 s of SIGTERM");
        }
    }

    private static String maps(Process process) throws IOException {
        return Files.readString(Paths.get("/proc", Long.toString(process.pid()), "maps"), StandardCharsets.UTF_8);
    }

    private static List<Path> archives() throws IOException {
        if (!Files.isDirectory(CDS_DIR)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(CDS_DIR)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }
}
