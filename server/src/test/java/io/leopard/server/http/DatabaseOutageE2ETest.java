package io.leopard.server.http;

import static io.leopard.server.http.LiveDemo.KEY;
import static io.leopard.server.http.LiveDemo.MID;
import static io.leopard.server.http.QueryEndpointsE2ETest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoSeeder;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.system.DatabaseVendor;
import io.leopard.server.testing.FaultyProxy;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL behind a proxy that drops or freezes connections, under a small concurrent load:
 * every answer is SUCCESS or SYSTEM_ERROR (HTTP 200) within twice the configured timeouts, never a
 * 500 or a hang; {@code /readyz} turns 503; merchants are still known from memory; and once the
 * database is back, answers return to SUCCESS without a restart.
 */
class DatabaseOutageE2ETest {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Twice the configured timeouts together. */
    private static final Duration BOUND = QUERY_TIMEOUT.plus(CONNECT_TIMEOUT).multipliedBy(2);
    private static final int THREADS = 4;

    private record Outcome(int status, String code, Duration latency) {
    }

    @Test
    void systemErrorInBoundedTimeDuringOutagesThenRecovery() throws Exception {
        try (TestDatabase pg = TestDatabases.create(DatabaseVendor.POSTGRESQL);
             FaultyProxy proxy = FaultyProxy.to("127.0.0.1", 5432)) {
            LeopardConfig config = pg.config(Map.of(
                    "db.url", pg.url().replace("127.0.0.1:5432", "127.0.0.1:" + proxy.port()),
                    "db.pool-size", "4",
                    "db.query-timeout", QUERY_TIMEOUT.toSeconds() + "s",
                    "db.connect-timeout", CONNECT_TIMEOUT.toSeconds() + "s",
                    "merchant-refresh", "500ms",
                    // fast SYSTEM_ERROR answers would otherwise spend the merchant's 100/s quota
                    "rate.per-second", "1000000",
                    "rate.burst", "1000000",
                    "master-key", MasterKey.generate(),
                    "host", "127.0.0.1",
                    "port", "0"));
            DemoSeeder.seed(config);
            try (LeopardServer server = LeopardServer.start(config)) {
                LiveDemo demo = LiveDemo.over(server);
                String readyz = "http://127.0.0.1:" + server.port() + "/readyz";
                assertThat(load(demo, Duration.ofMillis(500))).allSatisfy(o -> assertThat(o.code()).isEqualTo("SUCCESS"));

                proxy.sever();
                checkOutage(demo, readyz, "severed");
                proxy.restore();
                checkRecovery(demo, readyz);

                proxy.freeze();
                checkOutage(demo, readyz, "frozen");
                proxy.restore();
                checkRecovery(demo, readyz);
            }
        }
    }

    private static void checkOutage(LiveDemo demo, String readyz, String what) throws Exception {
        List<Outcome> outcomes = load(demo, Duration.ofSeconds(3));
        assertThat(outcomes).as(what).isNotEmpty().allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.code()).isIn("SUCCESS", "SYSTEM_ERROR");
            assertThat(o.latency()).isLessThan(BOUND);
        });
        assertThat(outcomes).as(what).anySatisfy(o -> assertThat(o.code()).isEqualTo("SYSTEM_ERROR"));
        System.out.println(what + ": " + outcomes.size() + " answers, slowest "
                + outcomes.stream().map(Outcome::latency).max(Duration::compareTo).orElseThrow().toMillis() + " ms");
        assertThat(demo.send("GET", readyz).statusCode()).as(what + " readyz").isEqualTo(503);
        // merchants come from memory: a wrong signature is still told apart from an unknown merchant
        Map<String, String> p = params(MID, "M201611101010100002");
        HttpResponse<String> badSign = demo.postSigned("/query/single", p, "not-the-key-1234");
        assertThat(IndependentVerifier.fields(badSign.body())).containsEntry("errCode", "SIGN_ERROR");
    }

    private static void checkRecovery(LiveDemo demo, String readyz) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean recovered = false;
        while (!recovered && System.nanoTime() < deadline) {
            List<Outcome> outcomes = load(demo, Duration.ofMillis(500));
            recovered = !outcomes.isEmpty() && outcomes.stream().allMatch(o -> o.code().equals("SUCCESS"))
                    && demo.send("GET", readyz).statusCode() == 200;
        }
        assertThat(recovered).as("SUCCESS and readyz 200 again within 10 s, without a restart").isTrue();
    }

    /** {@link #THREADS} threads sending signed queries back to back for {@code duration}. */
    private static List<Outcome> load(LiveDemo demo, Duration duration) throws InterruptedException {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    long start = System.nanoTime();
                    Outcome o;
                    try {
                        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
                        Map<String, String> f = IndependentVerifier.fields(res.body());
                        o = new Outcome(res.statusCode(), f.containsKey("errCode") ? f.get("errCode") : f.get("code"),
                                Duration.ofNanos(System.nanoTime() - start));
                    } catch (Exception e) {
                        o = new Outcome(-1, e.toString(), Duration.ofNanos(System.nanoTime() - start));
                    }
                    outcomes.add(o);
                }
            }));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        for (Thread t : threads) {
            t.join(BOUND.plusSeconds(10).toMillis());
        }
        return List.copyOf(outcomes);
    }
}
