package io.leopard.server.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's shared Redis (127.0.0.1:6379) for one test: a key prefix of its own, whose keys
 * {@link #close()} deletes (never a flush: other tests and helpers use the same Redis). When Redis
 * does not answer, the test is skipped with a message, except under CI ({@code CI=true}), where it fails.
 */
public final class TestRedis implements AutoCloseable {
    public static final String URL = "redis://127.0.0.1:6379";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix = "leopard-test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    private TestRedis(RedisClient client, StatefulRedisConnection<String, String> connection) {
        this.client = client;
        this.connection = connection;
    }

    /** Connects to the shared Redis, or skips (fails under CI) when it does not answer. */
    public static TestRedis connect() {
        RedisURI uri = RedisURI.create(URL);
        uri.setTimeout(Duration.ofSeconds(3));
        RedisClient client = RedisClient.create(uri);
        try {
            return new TestRedis(client, client.connect());
        } catch (RuntimeException e) {
            client.shutdown();
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Redis at " + URL + " is required under CI: " + e, e);
            }
            Assumptions.abort("skipped: Redis at " + URL + " does not answer (" + e + ")");
            throw new IllegalStateException("unreachable");
        }
    }

    /** This test's key prefix (for {@code redis.key-prefix}). */
    public String prefix() {
        return prefix;
    }

    /** Commands on the shared Redis, to look at what a test wrote. */
    public RedisCommands<String, String> commands() {
        return connection.sync();
    }

    @Override
    public void close() {
        try {
            RedisCommands<String, String> redis = connection.sync();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    redis.del(page.getKeys().toArray(new String[0]));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            connection.close();
            client.shutdown();
        }
    }
}
