package io.leopard.server.web.connection;

import java.time.Duration;

/**
 * How many connections a listener keeps and for how long (see {@link ConnectionGuard}).
 *
 * @param maxConnections  open connections per listener; beyond it a new one is admitted only in
 *                        place of a connection that is idle or stalled, else closed at once
 * @param maxPerAddress   open connections per client address (trusted proxies are exempt)
 * @param idleTimeout     how long a kept-alive connection may wait for its next request
 * @param requestTimeout  how long a new connection may take to send a request (TLS handshake
 *                        included), and a request to arrive whole and be answered, from its
 *                        first byte: a slow sender (slowloris) is cut off after it
 */
public record ConnectionLimits(int maxConnections, int maxPerAddress, Duration idleTimeout, Duration requestTimeout) {
}
