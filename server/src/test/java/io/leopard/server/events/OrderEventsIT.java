package io.leopard.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.LaunchedLeopard;
import io.leopard.server.testing.TestBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code leopard demo} as a platform runs it with order events: the real process consumes its
 * queue on the machine's RabbitMQ, says so in {@code /readyz}, and an event published there is
 * what the next internal read shows. Runs in the integration-test phase, after the jar is built.
 */
class OrderEventsIT {
    private static final String TOKEN = "events-it-token-0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void theDemoConsumesEventsAndSaysSoWhenReady() throws Exception {
        try (TestBroker broker = TestBroker.connect()) {
            int internalPort = LaunchedLeopard.freePort();
            Map<String, String> env = Map.of("LEOPARD_INTERNAL_TOKENS", TOKEN, "LEOPARD_INTERNAL_PORT", Integer.toString(internalPort),
                    "LEOPARD_EVENTS_AMQP_URI", broker.uri(), "LEOPARD_EVENTS_AMQP_QUEUE", broker.queue());
            try (LaunchedLeopard demo = LaunchedLeopard.start(dir, "demo", env)) {
                HttpClient http = HttpClient.newHttpClient();
                String ready = await(http, "http://127.0.0.1:" + demo.port() + "/readyz", "\"events\":\"UP\"", demo);
                assertThat(ready).contains("\"status\":\"UP\"");
                broker.publish("{\"mid\":\"" + DemoFixture.MID + "\",\"orderNo\":\"EV1\",\"flowNo\":\"FEV1\",\"amount\":\"8.00\","
                        + "\"type\":\"alipay\",\"scene\":\"qrcode\",\"state\":\"SUCCESS\",\"tradeNo\":\"TEV1\","
                        + "\"orderTime\":\"20261202160000\",\"payTime\":\"20261202160002\"}");
                String order = await(http, "http://127.0.0.1:" + internalPort + "/internal/v1/orders/" + DemoFixture.MID + "/EV1",
                        "\"state\":\"SUCCESS\"", demo);
                assertThat(order).contains("\"tradeNo\":\"TEV1\"", "\"version\":1");
                String consuming = "order events: consuming " + broker.queue();
                assertThat(demo.awaitLog(consuming, Duration.ofSeconds(10))).contains(consuming).doesNotContain("guest:guest");
            }
        }
    }

    /** GETs {@code url} (with the token) until its body contains {@code expected}; 60 s at most. */
    private static String await(HttpClient http, String url, String expected, LaunchedLeopard demo) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            last = r.body();
            if (last.contains(expected)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + expected + " at " + url + " within 60 s; last answer " + last + "; log:\n" + demo.log());
    }
}
