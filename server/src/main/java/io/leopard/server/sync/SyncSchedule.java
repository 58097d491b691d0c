package io.leopard.server.sync;

import io.leopard.server.order.StoredOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * When the sweeper asks about a pending order. Card-present orders: every
 * {@code sync.card-present-every} (5 s) until {@code sync.card-present-expiry} (60 s), then they are
 * reversed; the cashier is waiting. Others: 1 min after they started, then 2, 5, 10, 30 min and
 * every hour until {@code sync.expiry} (2 h), then they are closed. A payment that is not through
 * within a minute is usually abandoned, so asking every 5 s would mostly waste calls.
 *
 * <p>An order's clock starts at the later of its {@code orderTime} and when the platform stored it:
 * an order written late (or with a merchant's clock far behind) still gets its whole time.
 */
final class SyncSchedule {
    static final List<Duration> BACKOFF = List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1));

    private final SyncSettings settings;

    SyncSchedule(SyncSettings settings) {
        this.settings = settings;
    }

    /** When the order's time started. */
    static Instant start(StoredOrder stored) {
        Instant orderTime = stored.order().orderTime();
        Instant created = stored.createdAt();
        return created != null && created.isAfter(orderTime) ? created : orderTime;
    }

    /** When it is to be closed or reversed. */
    Instant expiry(StoredOrder stored) {
        return start(stored).plus(stored.order().isCardPresent() ? settings.cardPresentExpiry() : settings.expiry());
    }

    /** When it is first asked about. */
    Instant first(StoredOrder stored) {
        Instant at = start(stored).plus(stored.order().isCardPresent() ? settings.cardPresentEvery() : BACKOFF.get(0));
        return earlier(at, expiry(stored));
    }

    /** When it is next asked about after the attempt at {@code now}, the {@code attempts}-th (1 for the first). */
    Instant next(StoredOrder stored, int attempts, Instant now) {
        Duration wait = stored.order().isCardPresent() ? settings.cardPresentEvery()
                : BACKOFF.get(Math.min(Math.max(attempts, 1), BACKOFF.size() - 1));
        return earlier(now.plus(wait), expiry(stored));
    }

    /**
     * A retry after a failure that says "later" (the channel is down, busy, lying, or asked to try
     * again). Before the order's expiry: its usual step. After it, whatever the order: as long as it
     * has been past its expiry, at least a minute and at most an hour, so that an order whose
     * channel keeps failing is asked less and less often, not every 5 s for ever.
     */
    Instant retry(StoredOrder stored, int attempts, Instant now) {
        Instant expiry = expiry(stored);
        if (now.isBefore(expiry)) {
            return now.plus(stored.order().isCardPresent() ? settings.cardPresentEvery() : BACKOFF.get(0));
        }
        Duration past = Duration.between(expiry, now);
        Duration wait = past.compareTo(BACKOFF.get(0)) < 0 ? BACKOFF.get(0)
                : past.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : past;
        return now.plus(wait);
    }

    /**
     * The next turn when the channel itself asked to be asked again soon (WeChat's {@code recall=Y},
     * "try again"): the order's usual step, even past its expiry.
     */
    Instant soon(StoredOrder stored, Instant now) {
        return now.plus(stored.order().isCardPresent() ? settings.cardPresentEvery() : BACKOFF.get(0));
    }

    /** After this the sweeper stops trying an order its channel never gave a usable answer about. */
    Instant givesUp(StoredOrder stored) {
        return expiry(stored).plus(GIVE_UP_AFTER_EXPIRY);
    }

    /** A day past its expiry: long enough for any channel outage, short enough not to ask for ever. */
    static final Duration GIVE_UP_AFTER_EXPIRY = Duration.ofDays(1);

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
