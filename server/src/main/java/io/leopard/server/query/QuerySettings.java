package io.leopard.server.query;

import java.time.Duration;
import java.time.ZoneId;

/**
 * How queries are read and answered: the most orders one batch may ask, the platform's time zone
 * for times on the wire, and how old a change must be before the event feed lists it (see
 * {@link EventFeed}).
 */
public record QuerySettings(int maxBatch, ZoneId zone, Duration eventsSettle) {
    /** The feed's settle window when none is configured. */
    public static final Duration DEFAULT_EVENTS_SETTLE = Duration.ofSeconds(5);

    public QuerySettings(int maxBatch, ZoneId zone) {
        this(maxBatch, zone, DEFAULT_EVENTS_SETTLE);
    }
}
