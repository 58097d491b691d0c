package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.access.NoiseLedger;
import io.leopard.server.testing.PrivateRedis;
import io.leopard.server.testing.TestRedis;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Replay noises in Redis: one record for the cluster, and the node's own while Redis is away. */
class RedisNoiseLedgerTest {
    private static final String MID = "100000000000456";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    /** The smallest ledger of the node's own: remembers forever (the replay helper's has windows). */
    private static final class Remembered implements NoiseLedger {
        final Set<String> seen = new HashSet<>();

        @Override
        public synchronized boolean firstUse(String mid, String noise, Duration window) {
            return seen.add(mid + ":" + noise);
        }
    }

    private final AtomicLong nanos = new AtomicLong();

    private RedisNoiseLedger ledger(RedisLink link, NoiseLedger alone) {
        return new RedisNoiseLedger(link, alone, new RedisOutage("test", new SimpleMeterRegistry(), nanos::get));
    }

    @Test
    void aNoiseIsNewOnceForTheWholeClusterWithinItsWindow() {
        try (TestRedis redis = TestRedis.connect()) {
            RedisSettings settings = new RedisSettings(TestRedis.URL, Duration.ofSeconds(2), redis.prefix(), 2);
            try (RedisLink a = RedisLink.open(settings); RedisLink b = RedisLink.open(settings)) {
                assertThat(a.awaitConnected(Duration.ofSeconds(10)) && b.awaitConnected(Duration.ofSeconds(10))).isTrue();
                RedisNoiseLedger nodeA = ledger(a, new Remembered());
                RedisNoiseLedger nodeB = ledger(b, new Remembered());
                assertThat(nodeA.firstUse(MID, "n0ise1", WINDOW)).isTrue();
                assertThat(nodeA.firstUse(MID, "n0ise1", WINDOW)).as("replayed to the same node").isFalse();
                assertThat(nodeB.firstUse(MID, "n0ise1", WINDOW)).as("replayed to another node").isFalse();
                assertThat(nodeB.firstUse("100000000000457", "n0ise1", WINDOW)).as("another merchant's noise").isTrue();
                assertThat(redis.commands().pttl(redis.prefix() + "noise:" + MID + ":n0ise1"))
                        .as("kept for the window only").isPositive().isLessThanOrEqualTo(WINDOW.toMillis());

                String longNoise = "x".repeat(500);
                assertThat(nodeA.firstUse(MID, longNoise, WINDOW)).isTrue();
                assertThat(nodeB.firstUse(MID, longNoise, WINDOW)).isFalse();
                assertThat(redis.commands().keys(redis.prefix() + "noise:" + MID + ":sha256:*")).as("a long noise is hashed")
                        .singleElement().asString().hasSizeLessThan(100);
            }
        }
    }

    @Test
    void whileRedisIsDownTheNodeStillCatchesReplaysOfWhatItSaw() {
        try (PrivateRedis redis = PrivateRedis.start();
             RedisLink link = RedisLink.open(new RedisSettings(redis.url(), Duration.ofMillis(500), "t:", 2))) {
            assertThat(link.awaitConnected(Duration.ofSeconds(10))).isTrue();
            RedisNoiseLedger node = ledger(link, new Remembered());
            assertThat(node.firstUse(MID, "before", WINDOW)).isTrue();
            redis.kill();
            assertThat(node.firstUse(MID, "before", WINDOW)).as("seen here before the outage").isFalse();
            assertThat(node.firstUse(MID, "during", WINDOW)).as("answered, not failed").isTrue();
            assertThat(node.firstUse(MID, "during", WINDOW)).isFalse();
        }
    }
}
