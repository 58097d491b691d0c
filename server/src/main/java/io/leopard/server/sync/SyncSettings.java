package io.leopard.server.sync;

import java.time.Duration;
import java.util.Objects;

/**
 * How pending orders are synced with their channels.
 *
 * @param minInterval        a query asks the channel about one order at most this often ({@code sync.min-interval})
 * @param timeout            how long a query waits for the channel ({@code sync.timeout})
 * @param expiry             a pending order older than this is closed ({@code sync.expiry})
 * @param cardPresentExpiry  a pending card-present order older than this is reversed ({@code sync.card-present-expiry})
 * @param cardPresentEvery   how often the sweeper asks about a pending card-present order
 * @param sweeperEnabled     whether this node sweeps
 * @param sweeperConcurrency most channel calls the sweeper makes at once
 * @param channelRate        most calls per second to one channel from this node
 */
public record SyncSettings(Duration minInterval, Duration timeout, Duration expiry, Duration cardPresentExpiry,
                           Duration cardPresentEvery, boolean sweeperEnabled, int sweeperConcurrency, int channelRate) {

    public SyncSettings {
        Objects.requireNonNull(minInterval, "minInterval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(cardPresentExpiry, "cardPresentExpiry");
        Objects.requireNonNull(cardPresentEvery, "cardPresentEvery");
    }

    public static SyncSettings defaults() {
        return new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofHours(2), Duration.ofSeconds(60),
                Duration.ofSeconds(5), true, 8, 100);
    }
}
