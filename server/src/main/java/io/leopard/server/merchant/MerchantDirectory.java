package io.leopard.server.merchant;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merchants as the query path sees them: an immutable in-memory map, so a request never waits
 * on the database to find its merchant (and keys are decrypted once, not per request). A daemon
 * thread polls the store's cheap change stamp and reloads when it moved, so a merchant added,
 * disabled or re-keyed by the CLI in another process shows up within one refresh interval (at once
 * on a cluster with Redis, whose news of a change calls {@link #refreshSoon()}). When
 * the database is down the old map stays in use; the failure is logged once per outage.
 */
public final class MerchantDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantDirectory.class);

    private final MerchantStore store;
    private final ScheduledExecutorService timer;
    private volatile Snapshot snapshot;
    private boolean failing; // only touched under "this"

    private record Snapshot(String stamp, Map<String, Merchant> byMid) {
    }

    private MerchantDirectory(MerchantStore store) {
        this.store = store;
        this.snapshot = load();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leopard-merchant-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Loads every merchant now (failing fast when that fails) and refreshes every {@code interval}.
     */
    public static MerchantDirectory start(MerchantStore store, Duration interval) {
        MerchantDirectory d = new MerchantDirectory(store);
        long ms = interval.toMillis();
        d.timer.scheduleWithFixedDelay(d::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        return d;
    }

    /** The merchant with this mid, from memory only. */
    public Optional<Merchant> find(String mid) {
        return Optional.ofNullable(snapshot.byMid().get(mid));
    }

    /** How many merchants are known. */
    public int size() {
        return snapshot.byMid().size();
    }

    /**
     * Checks the change stamp and reloads when it moved; {@code true} when it reloaded. Throws what
     * the store throws (the background refresh logs it instead).
     */
    public synchronized boolean refreshNow() {
        String stamp = store.changeStamp();
        if (stamp.equals(snapshot.stamp())) {
            return false;
        }
        snapshot = load();
        return true;
    }

    /**
     * Refreshes on the directory's own thread, soon, without waiting: for news of a change (from
     * another node) that arrives on a thread that must not block on the database.
     */
    public void refreshSoon() {
        try {
            timer.execute(this::refreshQuietly);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // closed: nothing to refresh any more
        }
    }

    private synchronized void refreshQuietly() {
        try {
            if (refreshNow()) {
                LOG.info("merchant directory reloaded: {} merchants", snapshot.byMid().size());
            }
            if (failing) {
                failing = false;
                LOG.info("merchant refresh works again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("merchant refresh failed, keeping the {} merchants loaded before: {}",
                        snapshot.byMid().size(), e.getMessage());
            }
        }
    }

    /**
     * The stamp is read before the rows: a change landing in between makes the next refresh reload
     * again, never miss it.
     */
    private Snapshot load() {
        String stamp = store.changeStamp();
        List<Merchant> all = store.loadAll();
        Map<String, Merchant> byMid = new HashMap<>();
        for (Merchant m : all) {
            byMid.put(m.mid(), m);
        }
        return new Snapshot(stamp, Map.copyOf(byMid));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
