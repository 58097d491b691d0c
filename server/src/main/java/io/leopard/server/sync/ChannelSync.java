package io.leopard.server.sync;

import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.Executors;

/**
 * Channel sync of one node, wired: the read-time {@link OrderSync} the queries use and the
 * background {@link Sweeper}, sharing one circuit breaker and rate limit per channel.
 */
public final class ChannelSync implements AutoCloseable {
    private final OrderSync reads;
    private final Sweeper sweeper;

    public ChannelSync(Database database, OrderWrites writes, ChannelAccounts accounts, SyncSettings settings, Clock clock,
                       MeterRegistry registry) {
        String node = nodeName();
        SyncStore store = new SyncStore(database);
        SyncMetrics metrics = new SyncMetrics(registry);
        ChannelGuard guard = new ChannelGuard(settings.channelRate(), registry);
        SyncApplier applier = new SyncApplier(writes, store, new SyncAlerts(database, clock, registry), clock);
        this.reads = new OrderSync(accounts, applier, store, guard, metrics, settings, clock, node,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("leopard-sync-", 1).factory()));
        this.sweeper = new Sweeper(new OrderStore(database), accounts, applier, store, guard, metrics, settings, clock, node);
        if (settings.sweeperEnabled()) {
            sweeper.start();
        }
    }

    public OrderSync reads() {
        return reads;
    }

    /** This process, as lease columns name it: host, pid and a random tag (two processes never share one). */
    private static String nodeName() {
        byte[] tag = new byte[3];
        new SecureRandom().nextBytes(tag);
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        String name = runtime + "#" + HexFormat.of().formatHex(tag);
        return name.length() > 64 ? name.substring(name.length() - 64) : name;
    }

    @Override
    public void close() {
        sweeper.close();
        reads.close();
    }
}
