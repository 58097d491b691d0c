package io.leopard.server.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.Eventually;
import io.leopard.server.testing.PrivateRedis;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.leopard.server.testing.TestRedis;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two nodes on one database, each with its own pool, directory and Redis connections: a change made
 * on one reaches the other's directory through the news alone (their periodic refresh is an hour
 * away), and the subscription outlives a Redis restart.
 */
class MerchantNewsTest {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantNewsTest.class);
    private static final String MID = "100000000000456";
    private static final Duration NO_POLLING = Duration.ofHours(1);
    private static final Duration BOUND = Duration.ofSeconds(20);

    private final KeyCipher cipher = new KeyCipher(MasterKey.random());

    /** Node A changes merchants and announces; node B only listens. */
    private final class TwoNodes implements AutoCloseable {
        final Database second;
        final RedisLink linkA;
        final RedisLink linkB;
        final MerchantStore storeA;
        final MerchantDirectory directoryB;

        TwoNodes(TestDatabase t, RedisSettings redis) {
            second = Database.open(t.config(Map.of()).settings().database());
            linkA = RedisLink.open(redis);
            linkB = RedisLink.open(redis);
            storeA = new MerchantStore(t.database(), cipher, Clock.systemUTC(), MerchantNews.publisher(linkA));
            assertThat(linkA.awaitConnected(BOUND)).isTrue();
            storeA.add(MID, "Shop", "secretkey1");
            directoryB = MerchantDirectory.start(new MerchantStore(second, cipher), NO_POLLING);
            MerchantNews.subscribe(linkB, directoryB);
        }

        boolean enabledOnB() {
            return directoryB.find(MID).map(Merchant::enabled).orElse(false);
        }

        @Override
        public void close() {
            directoryB.close();
            linkA.close();
            linkB.close();
            second.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = {"H2", "POSTGRESQL"})
    void aChangeOnOneNodeReachesTheOtherAtOnce(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor); TestRedis redis = TestRedis.connect();
             TwoNodes nodes = new TwoNodes(t, new RedisSettings(TestRedis.URL, Duration.ofSeconds(2), redis.prefix(), 2))) {
            String channel = redis.prefix() + MerchantNews.CHANNEL;
            Eventually.holds("B subscribed", BOUND, () -> redis.commands().pubsubNumsub(channel).getOrDefault(channel, 0L) == 1);
            assertThat(nodes.enabledOnB()).isTrue();
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                boolean enable = i % 2 == 1;
                long started = System.nanoTime();
                nodes.storeA.setEnabled(MID, enable);
                Eventually.holds("B sees enabled=" + enable, BOUND, () -> nodes.enabledOnB() == enable);
                micros.add((System.nanoTime() - started) / 1000);
            }
            Collections.sort(micros);
            // a figure for the report, not a threshold: the machine is shared
            LOG.info("{}: a change reached the other node in {} µs (median of 20), {} µs at most", vendor,
                    micros.get(micros.size() / 2), micros.get(micros.size() - 1));
        }
    }

    @Test
    void theSubscriptionOutlivesARedisRestartAndCatchesUpOnWhatItMissed() {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2); PrivateRedis redis = PrivateRedis.start();
             TwoNodes nodes = new TwoNodes(t, new RedisSettings(redis.url(), Duration.ofSeconds(2), "t:", 2))) {
            Eventually.holds("B follows the news", BOUND, () -> {
                nodes.storeA.setEnabled(MID, false);
                return !nodes.enabledOnB();
            });
            redis.kill();
            nodes.storeA.setEnabled(MID, true); // the news is lost: Redis is down
            assertThat(nodes.enabledOnB()).as("B has not heard").isFalse();
            redis.restart();
            Eventually.holds("B reloads once it is subscribed again", BOUND, nodes::enabledOnB);
            Eventually.holds("and hears news again", BOUND, () -> {
                nodes.storeA.setEnabled(MID, false);
                return !nodes.enabledOnB();
            });
        }
    }
}
