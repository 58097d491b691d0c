package io.leopard.server.query;

import java.time.ZoneId;

/** How queries are read and answered: the most orders one batch may ask, and the platform's time zone for times on the wire. */
public record QuerySettings(int maxBatch, ZoneId zone) {
}
