package io.leopard.bench;

import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The order store alone on the embedded database as the server uses it (same URL, pool,
 * migrations and {@link OrderStore} code), one thread, no HTTP, no signing: what one lookup and
 * one batch of 50 distinct order numbers (as T2 sends) cost in H2 itself. bench/run.sh's P2 asks a whole 50-order request to cost at
 * most 50/15 = 3.3 times a whole single request; comparing {@code findAll} with that budget shows
 * how much of it the database alone takes (see docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms128m", "-Xmx128m", "-XX:+UseSerialGC"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
public class OrderStoreBench {
    static final String MID = DemoFixture.MID;

    /** Orders of the measured merchant, as bench/run.sh's T1/T2 (10,000 by default). */
    @Param("10000")
    int orders;

    /** Order numbers per batch, as T2. */
    @Param("50")
    int batch;

    private Path dir;
    private Database database;
    private OrderStore store;
    private String[] orderNos;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (batch < 1 || batch > orders || batch > OrderStore.MAX_FIND_ALL) {
            throw new IllegalArgumentException("batch must be 1 to min(orders, " + OrderStore.MAX_FIND_ALL + "); got " + batch);
        }
        dir = Files.createTempDirectory("leopard-jmh-");
        database = Database.open(DatabaseSettings.embedded(dir));
        store = new OrderStore(database);
        // loaded as the server loads orders: the merchant, then an import file of its orders
        new MerchantStore(database, new KeyCipher(MasterKey.random())).add(MID, "bench", "benchkey-" + MID);
        orderNos = new String[orders];
        StringBuilder csv = new StringBuilder("mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n");
        for (int i = 0; i < orders; i++) {
            orderNos[i] = String.format("BO%010d", i + 1);
            boolean paid = i % 10 != 0;
            csv.append(MID).append(',').append(orderNos[i]).append(String.format(",BF%010d,", i + 1))
                    .append(paid ? String.format("BT%010d", i + 1) : "")
                    .append(",12.34,wechat,qrcode,").append(paid ? "SUCCESS" : "INIT")
                    .append(",20261101100000,").append(paid ? "20261101100005" : "").append('\n');
        }
        new OrderImporter(store, ZoneId.of("Asia/Shanghai")).importFrom(
                new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)), OrderImporter.Format.CSV);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try {
            database.close();
        } finally {
            deleteDir();
        }
    }

    private void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** One order by number: what /query/single asks of the database. */
    @Benchmark
    public Object find() {
        return store.find(MID, orderNos[ThreadLocalRandom.current().nextInt(orders)]);
    }

    /** {@link #batch} distinct random order numbers in one statement: what /query/multi asks of it. */
    @Benchmark
    public Object findAll() {
        Set<String> wanted = new LinkedHashSet<>();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (wanted.size() < batch) {
            wanted.add(orderNos[random.nextInt(orders)]);
        }
        return store.findAll(MID, new ArrayList<>(wanted));
    }
}
