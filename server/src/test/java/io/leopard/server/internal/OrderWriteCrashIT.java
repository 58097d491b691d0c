package io.leopard.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.LaunchedLeopard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server killed (SIGKILL) while the platform's core sends it batches: after a restart
 * on the same embedded database, every batch is either wholly in or wholly out, and every batch
 * it had answered 200 is wholly in. Runs in the integration-test phase, after the jar is built.
 */
class OrderWriteCrashIT {
    private static final String TOKEN = "crash-test-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 1000;

    @TempDir
    Path dir;

    @Test
    void aBatchIsWhollyInOrWhollyOutAfterAKill() throws Exception {
        int internalPort = LaunchedLeopard.freePort();
        Map<String, String> env = Map.of("LEOPARD_INTERNAL_TOKENS", TOKEN, "LEOPARD_INTERNAL_PORT", Integer.toString(internalPort));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        List<String> sent = new ArrayList<>();
        Set<Integer> answered = ConcurrentHashMap.newKeySet();
        try (LaunchedLeopard demo = LaunchedLeopard.start(dir, "demo", env)) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int b = 0; !stop.get() && b < 200; b++) {
                    String body = batch(b);
                    synchronized (sent) {
                        sent.add(body);
                    }
                    try {
                        HttpResponse<String> r = http.send(post(internalPort, body), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            answered.add(b);
                        }
                    } catch (Exception killed) {
                        return; // the server is gone mid-batch: what the test is about
                    }
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (answered.size() < 3 && System.nanoTime() < deadline && writer.isAlive()) {
                Thread.sleep(5);
            }
            assertThat(answered).as("batches answered before the kill; log:%n%s", demo.log()).hasSizeGreaterThanOrEqualTo(3);
            demo.process().destroyForcibly(); // SIGKILL: no shutdown hook, no commit of anything in flight
            assertThat(demo.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(20));
        }
        Map<String, String> again = new java.util.HashMap<>(env);
        again.put("LEOPARD_DATA_DIR", dir.resolve("data").resolve("demo").toString());
        try (LaunchedLeopard served = LaunchedLeopard.start(dir, "serve", again)) {
            List<String> batches;
            synchronized (sent) {
                batches = List.copyOf(sent);
            }
            for (int b = 0; b < batches.size(); b++) {
                // writing a batch again says, per order, whether it was in: unchanged, or created now
                HttpResponse<String> r = http.send(post(internalPort, batches.get(b)), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("batch %d; log:%n%s", b, served.log()).isEqualTo(200);
                JsonNode counts = JSON.readTree(r.body()).get("counts");
                int unchanged = counts.get("unchanged").asInt();
                int created = counts.get("created").asInt();
                assertThat(unchanged + created).isEqualTo(BATCH);
                assertThat(unchanged == BATCH || created == BATCH).as("batch %d wholly in or out: %s", b, counts).isTrue();
                if (answered.contains(b)) {
                    assertThat(unchanged).as("batch %d was answered 200 before the kill", b).isEqualTo(BATCH);
                }
            }
        }
    }

    private static HttpRequest post(int port, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/internal/v1/orders:batch"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static String batch(int b) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < BATCH; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"mid\":\"").append(DemoFixture.MID).append("\",\"orderNo\":\"K")
                    .append(b).append('-').append(i).append("\",\"flowNo\":\"FK").append(b).append('x').append(i)
                    .append("\",\"amount\":\"1.00\",\"type\":\"alipay\",\"scene\":\"qrcode\",\"state\":\"INIT\","
                            + "\"orderTime\":\"20261202160000\"}");
        }
        return sb.append(']').toString();
    }
}
