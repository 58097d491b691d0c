package io.leopard.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.leopard.server.demo.DemoFixture;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leopard serve} as an operator runs it: the launcher script, the packaged jar and its
 * default JVM flags, with the class archive in a folder of its own ({@code LEOPARD_CDS_DIR}).
 * Runs in the {@code integration-test} phase, after the jar is built.
 */
class LauncherIT {
    private static final Path LAUNCHER = Paths.get("").toAbsolutePath().getParent().resolve("leopard");

    @TempDir
    Path dir;

    private Path cds;
    private final List<Path> logs = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        assumeThat(Files.isReadable(Paths.get("/proc/self/maps"))).as("needs /proc (Linux)").isTrue();
        assertThat(LAUNCHER).isExecutable();
        cds = Files.createDirectories(dir.resolve("cds")).toRealPath();
    }

    /**
     * A run that never serves leaves an archive without the server's classes, which the next
     * writer replaces; a server that served leaves one that later starts map, whether they hold
     * the writer's lock or start beside the one that does.
     */
    @Test
    void onlyAnArchiveFromARunThatServedIsMappedAndEveryServerKeepsItsLog() throws Exception {
        Process help = launcher(List.of("serve", "--help"), dir.resolve("help")).start();
        assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(archives()).as("--help wrote an archive, with no ready marker").hasSize(1);
        assertThat(Files.exists(Path.of(archives().get(0) + ".ready"))).isFalse();

        Started writer = start("a");
        Started beside;
        try {
            assertThat(maps(writer)).as("the --help archive was thrown away").doesNotContain(cds.toString());
            beside = start("b");
            try {
                assertThat(maps(beside)).doesNotContain(cds.toString());
            } finally {
                stop(beside);
            }
        } finally {
            stop(writer);
        }
        List<Path> written = archives();
        assertThat(written).as("archive written when the first server stopped").hasSize(1);
        assertThat(Files.exists(Path.of(written.get(0) + ".ready"))).isTrue();

        Started next = start("c");
        try {
            assertThat(maps(next)).contains(written.get(0).toString());
            Started reader = start("d");
            try {
                assertThat(maps(reader)).as("mapped without the lock").contains(written.get(0).toString());
            } finally {
                stop(reader);
            }
        } finally {
            stop(next);
        }
        assertThat(archives()).containsExactlyElementsOf(written);

        assertThat(logs).hasSize(4);
        for (Path log : logs) {
            assertThat(Files.readString(log)).as("log %s", log)
                    .contains("Leopard ready on").doesNotContain("[cds").doesNotContain("warning:");
        }
    }

    /**
     * The newcomer's first minutes: a command run beside the demo says where the demo's database
     * is instead of quietly using another one, and the demo's database is kept, where the demo
     * said, for the same commands once it stopped. Admin commands print what they did and no logs.
     */
    @Test
    void commandsBesideTheDemoNameItsDatabaseWhichIsKeptAfterItStops() throws Exception {
        Path data = dir.resolve("data");
        Path demoDir = data.resolve("demo");
        int port = freePort();
        ProcessBuilder pb = launcher(List.of("demo", "--port", Integer.toString(port), "--internal-port", Integer.toString(freePort())),
                data);
        Path demoLog = pb.redirectOutput().file().toPath();
        Process demo = pb.start();
        try {
            awaitReady(demo, port, demoLog);
            Ran beside = run(List.of("merchant", "list"), data);
            assertThat(beside.exitCode()).isEqualTo(1);
            assertThat(beside.output()).hasLineCount(1)
                    .startsWith(LAUNCHER + " merchant list: a demo is running at http://127.0.0.1:" + port
                            + " (pid ")
                    .contains("run LEOPARD_DATA_DIR=" + demoDir + " " + LAUNCHER + " merchant list (it goes through the demo's internal listener)");
            assertThat(data.resolve("leopard.mv.db")).as("no second database").doesNotExist();
            assertThat(demoDir.resolve("demo.running")).exists();
        } finally {
            stop(new Started(demo, demoLog));
        }
        assertThat(demoDir.resolve("demo.running")).as("removed when the demo stopped").doesNotExist();
        Ran kept = run(List.of("merchant", "list"), demoDir);
        assertThat(kept.exitCode()).isZero();
        assertThat(kept.output()).as("the header and the three demo merchants, no log lines").hasLineCount(4)
                .startsWith("MID ").contains(DemoFixture.MID, DemoFixture.OTHER_MID, DemoFixture.DISABLED_MID);
    }

    /**
     * What the demo's banner promises: its live card-present order is pending at first and paid
     * about 12 s after the start (the sandbox channel settles it), and a poll shows both.
     */
    @Test
    void theDemosLiveCardPresentOrderIsPendingThenPaid() throws Exception {
        Path data = dir.resolve("live");
        int port = freePort();
        ProcessBuilder pb = launcher(List.of("demo", "--port", Integer.toString(port), "--internal-port", Integer.toString(freePort())),
                data);
        Path demoLog = pb.redirectOutput().file().toPath();
        Process demo = pb.start();
        try {
            awaitReady(demo, port, demoLog);
            assertThat(Files.readString(demoLog)).contains("brushcard " + DemoFixture.LIVE_ORDER_NO + " --poll");
            HttpClient client = HttpClient.newHttpClient();
            List<String> seen = new java.util.ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!seen.contains("1") && System.nanoTime() < deadline) {
                java.util.Map<String, String> q = new java.util.LinkedHashMap<>();
                q.put("mid", DemoFixture.LIVE_MID);
                q.put("orderNo", DemoFixture.LIVE_ORDER_NO);
                q.put("noise", "live12345");
                q.put("sign", io.leopard.protocol.Signer.sign(q, DemoFixture.OTHER_KEY, io.leopard.protocol.SignType.MD5));
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query/brushcard"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(io.leopard.server.testing.LiveLeopard.form(q))).build(),
                        HttpResponse.BodyHandlers.ofString());
                java.util.Map<String, String> fields = io.leopard.server.testing.IndependentVerifier.fields(r.body());
                assertThat(io.leopard.server.testing.IndependentVerifier.verify(fields, DemoFixture.OTHER_KEY, "MD5")).as(r.body()).isTrue();
                seen.add(fields.get("payStatus"));
                Thread.sleep(1000); // a cashier's poll; the order settles on the demo's own clock
            }
            assertThat(seen).as("pay statuses seen, one poll a second").startsWith("5").endsWith("1");
        } finally {
            stop(new Started(demo, demoLog));
        }
    }

    private record Ran(int exitCode, String output) {
    }

    private Ran run(List<String> args, Path dataDir) throws IOException, InterruptedException {
        ProcessBuilder pb = launcher(args, dataDir);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s ends", args).isTrue();
        return new Ran(p.exitValue(), Files.readString(pb.redirectOutput().file().toPath()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private record Started(Process process, Path log) {
    }

    private ProcessBuilder launcher(List<String> args, Path dataDir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path log = Files.createTempFile(dir, "launcher-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LEOPARD_"));
        pb.environment().put("LEOPARD_DATA_DIR", dataDir.toString());
        pb.environment().put("LEOPARD_HOST", "127.0.0.1");
        pb.environment().put("LEOPARD_CDS_DIR", cds.toString());
        pb.environment().put("LEOPARD_EVENTS_AMQP_URI", "off"); // a demo would consume the machine's broker
        return pb;
    }

    private Started start(String name) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = launcher(List.of("serve", "--port", Integer.toString(port)), dir.resolve(name));
        Path log = pb.redirectOutput().file().toPath();
        Process process = pb.start();
        try {
            awaitReady(process, port, log);
        } catch (Throwable e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
        logs.add(log);
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

    private static String maps(Started s) throws IOException {
        return Files.readString(Paths.get("/proc", Long.toString(s.process.pid()), "maps"), StandardCharsets.UTF_8);
    }

    private List<Path> archives() throws IOException {
        try (Stream<Path> files = Files.list(cds)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }
}
