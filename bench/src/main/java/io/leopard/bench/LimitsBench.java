package io.leopard.bench;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.Limits;
import io.leopard.server.access.RateLimits;
import io.leopard.server.access.RateSettings;
import io.leopard.server.redis.RedisSettings;
import io.leopard.server.redis.SharedState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one merchant rate decision costs: the node's in-memory bucket against the cluster's bucket in
 * Redis (one EVALSHA round trip). Redis at {@code -Dleopard.bench.redis} (default the local one,
 * keys under a prefix of their own that expire by themselves), with a timeout long enough that the
 * measurement is of Redis, not of the fallback.
 *   bench/jmh.sh LimitsBench
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms128m", "-Xmx128m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class LimitsBench {
    private static final String MID = "100000000000456";
    /** High enough that every decision takes a token: the measured path is the common one. */
    private static final RateSettings RATES = new RateSettings(1_000_000, 1_000_000, 1000, 1000);

    private Limits local;
    private SharedState shared;
    private Limits redis;

    @Setup
    public void setUp() throws InterruptedException {
        local = new RateLimits(RATES, System::nanoTime);
        String url = System.getProperty("leopard.bench.redis", "redis://127.0.0.1:6379");
        shared = SharedState.open(new RedisSettings(url, Duration.ofSeconds(1), "leopard-bench-" + ProcessHandle.current().pid() + ":", 1),
                RATES, new SimpleMeterRegistry(), System::nanoTime);
        redis = shared.limits();
        while (!shared.up() || !redis.tryMerchant(MID, AccessPolicy.DEFAULT)) {
            Thread.sleep(50); // the link connects in the background
        }
    }

    @TearDown
    public void tearDown() {
        shared.close();
    }

    @Benchmark
    public boolean inMemory() {
        return local.tryMerchant(MID, AccessPolicy.DEFAULT);
    }

    @Benchmark
    public boolean inRedis() {
        return redis.tryMerchant(MID, AccessPolicy.DEFAULT);
    }
}
