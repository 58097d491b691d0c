package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoSeeder;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.FaultyProxy;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
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
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL behind a proxy that drops or freezes connections. A merchant polling one request at
 * a time pays the timeouts only until the database breaker opens, then gets SYSTEM_ERROR at once;
 * under a small concurrent load every answer is SUCCESS or SYSTEM_ERROR (HTTP 200) within twice
 * the configured timeouts, never a 500 or a hang; {@code /readyz} turns 503; merchants are still
 * known from memory; and once the database is back, answers return to SUCCESS without a restart.
 */
class DatabaseOutageE2ETest {
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** Twice the configured timeouts together. */
    private static final Duration BOUND = QUERY_TIMEOUT.plus(CONNECT_TIMEOUT).multipliedBy(2);
    private static final int THREADS = 4;
    /**
     * Longer than the 1 s default so that the 20 serial queries after the breaker opened all fall
     * in one open period: none of them is the trial call, which pays the connect timeout by design.
     * Still short enough for recovery within {@link #checkRecovery}'s 10 s.
     */
    private static final Duration BREAKER_OPEN = Duration.ofSeconds(4);
    private static final int SERIAL = 20;

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
                    "port", "0")).with("db.breaker-open", BREAKER_OPEN.toSeconds() + "s");
            DemoSeeder.seed(config.settings());
            ListAppender<ILoggingEvent> breakerLog = new ListAppender<>();
            Logger breakerLogger = (Logger) LoggerFactory.getLogger("io.leopard.server.store.DatabaseBreaker");
            breakerLog.start();
            breakerLogger.addAppender(breakerLog);
            try (LeopardServer server = LeopardServer.start(config.settings())) {
                LiveLeopard demo = LiveLeopard.over(server);
                String readyz = "http://127.0.0.1:" + server.port() + "/readyz";
                assertThat(load(demo, Duration.ofMillis(500))).allSatisfy(o -> assertThat(o.code()).isEqualTo("SUCCESS"));

                proxy.sever();
                checkFailsFast(demo, breakerLog, "severed");
                checkOutage(demo, readyz, "severed");
                proxy.restore();
                checkRecovery(demo, readyz);

                proxy.freeze();
                checkFailsFast(demo, breakerLog, "frozen");
                checkOutage(demo, readyz, "frozen");
                proxy.restore();
                checkRecovery(demo, readyz);
            } finally {
                breakerLogger.detachAppender(breakerLog);
            }
            assertThat(breakerLog.list).extracting(ILoggingEvent::getLevel).as("one line when it opens, one when it closes")
                    .containsExactly(Level.WARN, Level.INFO, Level.WARN, Level.INFO);
        }
    }

    /**
     * A merchant polling serially: its queries wait the timeouts until the breaker opens (its WARN
     * line, bounded in time), then the next {@link #SERIAL} all answer SYSTEM_ERROR, each before
     * the connect timeout could have elapsed: none of them waited for the pool.
     */
    private static void checkFailsFast(LiveLeopard demo, ListAppender<ILoggingEvent> breakerLog, String what) {
        long opensBefore = opens(breakerLog);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Outcome> beforeOpen = new ArrayList<>();
        while (opens(breakerLog) == opensBefore) {
            assertThat(System.nanoTime() - deadline).as(what + ": the breaker opens within 20 s of serial queries").isNegative();
            beforeOpen.add(query(demo));
        }
        List<Outcome> shortCircuited = new ArrayList<>();
        for (int i = 0; i < SERIAL; i++) {
            shortCircuited.add(query(demo));
        }
        assertThat(shortCircuited).as(what).allSatisfy(o -> {
            assertThat(o.status()).isEqualTo(200);
            assertThat(o.code()).isEqualTo("SYSTEM_ERROR");
            assertThat(o.latency()).isLessThan(CONNECT_TIMEOUT);
        });
        System.out.println(what + ": " + beforeOpen.size() + " serial answers before the breaker opened, slowest "
                + beforeOpen.stream().map(Outcome::latency).max(Duration::compareTo).orElse(Duration.ZERO).toMillis()
                + " ms; then " + SERIAL + " in " + shortCircuited.stream().map(Outcome::latency).reduce(Duration.ZERO, Duration::plus).toMillis()
                + " ms together, slowest " + shortCircuited.stream().map(Outcome::latency).max(Duration::compareTo).orElseThrow().toMillis() + " ms");
    }

    private static long opens(ListAppender<ILoggingEvent> breakerLog) {
        synchronized (breakerLog) { // appended to from server threads
            return List.copyOf(breakerLog.list).stream().filter(e -> e.getLevel() == Level.WARN).count();
        }
    }

    private static void checkOutage(LiveLeopard demo, String readyz, String what) throws Exception {
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

    private static void checkRecovery(LiveLeopard demo, String readyz) throws Exception {
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
    private static List<Outcome> load(LiveLeopard demo, Duration duration) throws InterruptedException {
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                while (!stop.get()) {
                    outcomes.add(query(demo));
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

    /** One signed single query, with its HTTP status, result or error code and latency. */
    private static Outcome query(LiveLeopard demo) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
            Map<String, String> f = IndependentVerifier.fields(res.body());
            return new Outcome(res.statusCode(), f.containsKey("errCode") ? f.get("errCode") : f.get("code"),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (Exception e) {
            return new Outcome(-1, e.toString(), Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
