package io.leopard.server.notify;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How merchants are notified.
 *
 * @param enabled              whether this node delivers ({@code notify.enabled})
 * @param connectTimeout       {@code notify.connect-timeout}, 2 s
 * @param timeout              {@code notify.timeout}: the whole answer, 5 s
 * @param retries              {@code notify.retries}: the waits after each failed attempt (WeChat Pay's schedule by default)
 * @param concurrency          {@code notify.concurrency}: deliveries at once on this node
 * @param perMerchant          {@code notify.per-merchant}: deliveries at once to one merchant, so a slow one holds nobody else's
 * @param allowPrivateNetworks {@code notify.allow-private-networks}: whether URLs may reach loopback or private addresses (the demo)
 * @param retention            {@code notify.retention}: how long delivered notifications (and their attempts) are kept, 30 days
 */
public record NotifySettings(boolean enabled, Duration connectTimeout, Duration timeout, List<Duration> retries,
                             int concurrency, int perMerchant, boolean allowPrivateNetworks, Duration retention) {

    /** WeChat Pay's published notification schedule: 15 retries over about 24 h. */
    public static final List<Duration> WECHAT_SCHEDULE = List.of(Duration.ofSeconds(15), Duration.ofSeconds(15),
            Duration.ofSeconds(30), Duration.ofMinutes(3), Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30),
            Duration.ofMinutes(30), Duration.ofMinutes(30), Duration.ofMinutes(60), Duration.ofHours(3), Duration.ofHours(3),
            Duration.ofHours(3), Duration.ofHours(6), Duration.ofHours(6));

    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

    public NotifySettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(retention, "retention");
        retries = List.copyOf(retries);
    }

    public static NotifySettings defaults() {
        return new NotifySettings(true, Duration.ofSeconds(2), Duration.ofSeconds(5), WECHAT_SCHEDULE, 16, 4, false, DEFAULT_RETENTION);
    }
}
