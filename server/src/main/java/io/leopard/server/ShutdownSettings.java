package io.leopard.server;

import java.time.Duration;

/**
 * How the server shuts down.
 *
 * @param drain how long {@code /readyz} fails before the server stops accepting, so a load balancer drains the node; may be zero
 * @param grace the longest in-flight requests may run on after the server stops accepting
 */
public record ShutdownSettings(Duration drain, Duration grace) {
    /** The whole time a shutdown may take: the drain, then the grace. */
    public Duration total() {
        return drain.plus(grace);
    }
}
