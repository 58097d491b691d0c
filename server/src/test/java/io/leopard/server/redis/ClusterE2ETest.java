package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.testing.PrivateRedis;
import io.leopard.server.testing.TestRedis;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two live nodes on one Redis: one merchant quota between them; and a node whose Redis is gone still answers. */
class ClusterE2ETest {
    private static final int BURST = 20;

    private static Map<String, String> query(int i) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", LiveLeopard.MID);
        p.put("orderNo", LiveLeopard.PAID);
        p.put("noise", "cluster" + i);
        return p;
    }

    private static Map<String, String> node(String url, String prefix) {
        return Map.of("redis.url", url, "redis.key-prefix", prefix, "cluster.expected-nodes", "2",
                "rate.per-second", "1", "rate.burst", Integer.toString(BURST));
    }

    @Test
    void aMerchantsQuotaHoldsAcrossTwoNodes() throws Exception {
        try (TestRedis redis = TestRedis.connect();
             LiveLeopard one = LiveLeopard.start(node(TestRedis.URL, redis.prefix()));
             LiveLeopard two = LiveLeopard.start(node(TestRedis.URL, redis.prefix()))) {
            AtomicInteger served = new AtomicInteger();
            long started = System.nanoTime();
            for (int i = 0; i < 3 * BURST; i++) {
                LiveLeopard node = i % 2 == 0 ? one : two;
                String body = node.postSigned("/query/single", query(i), LiveLeopard.KEY).body();
                if (body.contains("\"SUCCESS\"")) {
                    served.incrementAndGet();
                } else {
                    assertThat(body).contains("FREQUENCY_LIMITED");
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L + 1;
            // the burst once, for both nodes, plus the 1 a second refilled while the test ran (each
            // node alone would have served its own burst of 20, 40 in all)
            assertThat(served.get()).isBetween(BURST, BURST + (int) seconds);
        }
    }

    @Test
    void aNodeStartsAndAnswersWithoutItsRedisAndSaysSo() throws Exception {
        try (PrivateRedis redis = PrivateRedis.start()) {
            redis.kill();
            try (LiveLeopard node = LiveLeopard.start(node(redis.url(), "t:"))) {
                List<String> answers = new java.util.ArrayList<>();
                for (int i = 0; i < 15; i++) {
                    HttpResponse<String> r = node.postSigned("/query/single", query(i), LiveLeopard.KEY);
                    assertThat(r.statusCode()).isEqualTo(200);
                    answers.add(r.body().contains("\"SUCCESS\"") ? "SUCCESS" : r.body());
                }
                assertThat(answers.subList(0, BURST / 2)).as("alone: its share, half of the burst").containsOnly("SUCCESS");
                assertThat(answers.get(BURST / 2)).contains("FREQUENCY_LIMITED");
                assertThat(node.send("GET", node.baseUrl() + "/metrics").body())
                        .contains("leopard_redis_up 0.0").containsPattern("leopard_redis_fallbacks_total [1-9]");
                assertThat(node.send("GET", node.baseUrl() + "/readyz").body()).contains("\"redis\":\"DOWN\"");
            }
        }
    }
}
