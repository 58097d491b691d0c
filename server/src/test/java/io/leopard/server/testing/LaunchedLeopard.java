package io.leopard.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./leopard} run as an operator runs it: the launcher script, the packaged jar and the
 * launcher's default JVM flags, as a child process whose output goes to a log file. For tests in
 * the integration-test phase (after the jar is built).
 */
public final class LaunchedLeopard implements AutoCloseable {
    /** The launcher script at the repository root. */
    public static final Path LAUNCHER = Paths.get("").toAbsolutePath().getParent().resolve("leopard");

    private final Process process;
    private final Path log;
    private final int port;

    private LaunchedLeopard(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** A process builder for {@code ./leopard args}, without the caller's LEOPARD_* variables, logging to a file in {@code dir}. */
    public static ProcessBuilder builder(Path dir, List<String> args, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        Path log = Files.createTempFile(dir, "leopard-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("LEOPARD_"));
        pb.environment().put("LEOPARD_HOST", "127.0.0.1");
        pb.environment().put("LEOPARD_CDS_DIR", dir.resolve("cds").toString());
        // never the working directory's data/: a test's databases and keys stay in its own folder
        pb.environment().put("LEOPARD_DATA_DIR", dir.resolve("data").toString());
        // a demo consumes the machine's broker by default; a test that wants events says where
        pb.environment().put("LEOPARD_EVENTS_AMQP_URI", "off");
        // a demo's internal listener would take 8081, which another process may hold
        pb.environment().put("LEOPARD_INTERNAL_PORT", Integer.toString(freePort()));
        pb.environment().putAll(env);
        return pb;
    }

    /** Starts {@code ./leopard command --port P ...} and waits until {@code /readyz} answers 200. */
    public static LaunchedLeopard start(Path dir, String command, Map<String, String> env) throws IOException, InterruptedException {
        int port = freePort();
        ProcessBuilder pb = builder(dir, List.of(command, "--port", Integer.toString(port)), env);
        Path log = pb.redirectOutput().file().toPath();
        Process process = pb.start();
        LaunchedLeopard leopard = new LaunchedLeopard(process, log, port);
        try {
            leopard.awaitReady();
        } catch (Throwable e) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw e;
        }
        return leopard;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                .timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
            assertThat(process.isAlive()).as("server running; log:%n%s", log()).isTrue();
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("ready within 90 s; log:%n%s", log()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far. */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /**
     * The log once it contains {@code expected}, read every 50 ms for at most {@code atMost}: the
     * server's log is buffered, so a line logged just before an answer may reach the file after it.
     */
    public String awaitLog(String expected, Duration atMost) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        String text = log();
        while (!text.contains(expected) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            text = log();
        }
        return text;
    }

    /** Resident memory of the server process in KiB, from /proc. */
    public long residentKib() throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** SIGTERM, as a service manager stops it; returns how long the process took to exit. */
    public Duration terminate(Duration atMost) throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the server did not stop within " + atMost.toMillis() + " ms of SIGTERM");
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
