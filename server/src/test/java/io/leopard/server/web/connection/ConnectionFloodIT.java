package io.leopard.server.web.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.FloodConnections.Kind;
import io.leopard.server.testing.FloodConnections;
import io.leopard.server.testing.LaunchedLeopard;
import io.leopard.server.testing.TestKeystores;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./leopard demo} with the launcher's default JVM flags (128 MB heap), flooded with more
 * connections than its listeners take — idle ones, slowloris ones trickling a byte a second, and
 * TLS connections that never send their ClientHello — while merchants keep querying: one over a
 * kept-alive connection opened before the flood, one opening a new connection per query. Bounded:
 * about 3,000 connections, 30 s.
 */
class ConnectionFloodIT {
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(7);
    private static final Duration GRACE = Duration.ofSeconds(3);
    /** What the sweeper may add to a timeout (it runs every 250 ms) plus scheduling on two busy cores. */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final DemoFixture.DemoMerchant MERCHANT = DemoFixture.MERCHANTS.get(0);
    private static final String PASSWORD = "flood-test";

    @TempDir
    Path dir;

    private final AtomicInteger noise = new AtomicInteger();

    @Test
    void aFloodOfConnectionsNeverStopsMerchantsAndEveryFloodConnectionIsClosedInTime() throws Exception {
        Path keystore = TestKeystores.selfSigned(dir, PASSWORD);
        int tlsPort = LaunchedLeopard.freePort();
        Map<String, String> env = Map.of(
                "LEOPARD_HTTP_IDLE_TIMEOUT", IDLE_TIMEOUT.toSeconds() + "s",
                "LEOPARD_HTTP_REQUEST_TIMEOUT", REQUEST_TIMEOUT.toSeconds() + "s",
                // so that 7 s outlasts a query's worst wait: database timeouts (5 s, + 1 s) and a channel's
                "LEOPARD_SYNC_TIMEOUT", "500ms",
                "LEOPARD_SHUTDOWN_GRACE", GRACE.toSeconds() + "s",
                "LEOPARD_TLS_KEYSTORE", keystore.toString(),
                "LEOPARD_TLS_KEYSTORE_PASSWORD", PASSWORD,
                "LEOPARD_TLS_PORT", Integer.toString(tlsPort));
        try (LaunchedLeopard leopard = LaunchedLeopard.start(dir, "demo", env)) {
            int port = leopard.port();
            HttpClient keptAlive = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            assertThat(query(keptAlive, port)).as("before the flood").isTrue();

            AtomicBoolean flooding = new AtomicBoolean(true);
            AtomicLong served = new AtomicLong();
            List<String> failures = new CopyOnWriteArrayList<>();
            Thread merchant = Thread.ofPlatform().start(() -> {
                while (flooding.get()) {
                    try {
                        Thread.sleep(20); // within the merchant's rate (100/s)
                        if (query(keptAlive, port)) {
                            served.incrementAndGet();
                        } else {
                            failures.add("kept-alive: not SUCCESS");
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.add("kept-alive: " + e);
                    }
                }
            });

            try (FloodConnections flood = new FloodConnections()) {
                // over the listener's cap of 1,024 from eight addresses, and over the per-address cap of 256 from one
                for (int a = 2; a <= 9; a++) {
                    flood.open(Kind.IDLE, "127.0.0." + a, port, 150, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                    flood.open(Kind.STALLED, "127.0.0." + a, port, 40, "POST /query/single HTTP/1.1\r\nHost: x\r\n");
                }
                flood.open(Kind.IDLE, "127.0.0.10", port, 400, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                flood.open(Kind.SILENT, "127.0.0.11", tlsPort, 1100, null); // half-open TLS

                // a merchant that opens a new connection per query, once the flood holds the listener
                Thread.sleep(1500);
                int fresh = 0;
                long rssPeak = 0;
                for (int i = 0; i < 40; i++) {
                    try {
                        if (queryOnNewConnection(port)) {
                            fresh++;
                        } else {
                            failures.add("new connection " + i + ": not SUCCESS");
                        }
                    } catch (IOException e) {
                        failures.add("new connection " + i + ": " + e);
                    }
                    rssPeak = Math.max(rssPeak, leopard.residentKib());
                    Thread.sleep(50);
                }
                flooding.set(false);
                merchant.join(10_000);
                Files.writeString(Path.of("target", "flood-server.log"), leopard.log());

                assertThat(failures).as("every merchant query answered SUCCESS during the flood").isEmpty();
                assertThat(fresh).isEqualTo(40);
                assertThat(served.get()).isPositive();
                assertThat(leopard.process().isAlive()).isTrue();
                assertThat(rssPeak).as("resident memory during the flood, KiB").isLessThan(320 * 1024);

                // every flood connection closed within its timeout: an answered one within the idle
                // timeout of its answer, the others within the request timeout of their opening
                assertThat(flood.awaitAllClosed(REQUEST_TIMEOUT.plus(IDLE_TIMEOUT).plus(SLACK))).as("all closed: %s", flood).isTrue();
                List<String> late = new ArrayList<>();
                for (FloodConnections.Conn c : flood.all()) {
                    long took = c.answeredAt() != 0 ? c.closedAt() - c.answeredAt() : c.closedAt() - c.openedAt;
                    Duration limit = (c.answeredAt() != 0 ? IDLE_TIMEOUT : REQUEST_TIMEOUT).plus(SLACK);
                    if (took > limit.toNanos()) {
                        late.add(c.kind + " closed after " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
                    }
                }
                assertThat(late).as("connections closed later than their timeout").isEmpty();
                // over the caps a new connection is refused at once, or takes the place of one idle the
                // longest or slow to send its request: which of the two depends on how fast the flood
                // came, so the guard's own counts (on /metrics) tell
                String metrics = metrics(port);
                assertThat(counted(metrics, "leopard_connections_refused_total", "@default")
                        + counted(metrics, "leopard_connections_evicted_total", "@default"))
                        .as("over the caps, connections are refused or made room from: %s", metrics.lines()
                                .filter(l -> l.startsWith("leopard_connections")).toList()).isPositive();
                assertThat(counted(metrics, "leopard_connections_refused_total", "https")
                        + counted(metrics, "leopard_connections_evicted_total", "https")).as("the TLS listener's too").isPositive();

                String log = leopard.log();
                assertThat(log).doesNotContain("OutOfMemoryError").contains("connection limits reached");
                assertThat(query(keptAlive, port)).as("after the flood").isTrue();

                // SIGTERM with connections open and requests half-sent: the process ends within drain + grace + 2 s
                flood.open(Kind.IDLE, "127.0.0.2", port, 200, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
                flood.open(Kind.STALLED, "127.0.0.3", port, 100, "POST /query/single HTTP/1.1\r\nHost: x\r\n");
                Duration stop = leopard.terminate(GRACE.plusSeconds(10));
                Files.writeString(Path.of("target", "flood-server.log"), leopard.log());
                assertThat(stop).as("drain 0 s + grace %s + 2 s", GRACE).isLessThan(GRACE.plusSeconds(2));
            }
        }
    }

    private boolean query(HttpClient client, int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query/single"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(signedBody())).build();
        HttpResponse<String> answer = client.send(request, HttpResponse.BodyHandlers.ofString());
        return answer.statusCode() == 200 && answer.body().contains("\"resultCode\":\"SUCCESS\"");
    }

    private static String metrics(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the series {@code name} of {@code listener} in a Prometheus scrape; 0 when absent. */
    private static double counted(String scrape, String name, String listener) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "^" + name + "\\{listener=\"" + java.util.regex.Pattern.quote(listener) + "\"[^}]*} ([0-9.Ee+-]+)$",
                java.util.regex.Pattern.MULTILINE).matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private boolean queryOnNewConnection(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            byte[] body = signedBody().getBytes(StandardCharsets.UTF_8);
            String head = "POST /query/single HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length + "\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return answer.startsWith("HTTP/1.1 200") && answer.contains("\"resultCode\":\"SUCCESS\"");
        }
    }

    private String signedBody() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mid", MERCHANT.mid());
        params.put("orderNo", "M201611101010100002");
        params.put("noise", "flood" + noise.incrementAndGet());
        params.put("sign", Signer.sign(params, MERCHANT.key(), SignType.MD5));
        return FormCodec.encode(params);
    }
}
