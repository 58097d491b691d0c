package io.leopard.server.web;

import io.helidon.common.socket.SocketOptions;
import io.helidon.common.tls.Tls;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http1.Http1Config;
import io.leopard.server.web.connection.ConnectionGuard;
import io.leopard.server.web.connection.ConnectionLimits;
import io.leopard.server.web.connection.GuardedConnections;
import io.leopard.server.web.connection.GuardedTls;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.LongSupplier;

/**
 * The listeners of a node and what keeps each healthy: a {@link ConnectionGuard} per listener
 * that keeps its connections within the configured limits, JSON answers for transport errors, the
 * listener's routing (told of each request's progress by that guard), and the self-probe that
 * makes {@code /healthz} fail when a listener stops answering.
 */
public final class WebListeners implements AutoCloseable {
    /** How often each listener is probed, and how long one probe may take. */
    private static final Duration PROBE_EVERY = Duration.ofSeconds(5);

    private final ConnectionLimits limits;
    /** Connections from these addresses (trusted proxies) are exempt from the per-address cap. */
    private final Predicate<InetAddress> exempt;
    private final Health health;
    private final RequestMetrics metrics;
    private final LongSupplier clock = System::nanoTime;
    private final Map<String, ConnectionGuard> guards = new ConcurrentHashMap<>();
    /** The listeners whose TLS requires a client certificate (probed by handshake only). */
    private final Set<String> mutualTls = ConcurrentHashMap.newKeySet();
    private volatile ListenerProbe probe;

    public WebListeners(ConnectionLimits limits, Predicate<InetAddress> exempt, Health health, RequestMetrics metrics) {
        this.limits = limits;
        this.exempt = exempt;
        this.health = health;
        this.metrics = metrics;
    }

    /**
     * Sets up one listener: the server's default socket ({@code WebServerConfig.Builder}) or a
     * named one, such as the HTTPS socket next to plain HTTP; {@code tls} is its TLS, or null for
     * plain HTTP, and {@code routes} its routing.
     */
    public void applyTo(ListenerConfig.BuilderBase<?, ?> server, String listener, Tls tls, ListenerRoutes routes) {
        // Without TCP_NODELAY a batch answer larger than one write buffer waits ~40 ms for the
        // client's delayed ACK (Nagle): measured by bench/run.sh as a 44 ms p50 for 50 orders.
        server.connectionOptions(SocketOptions.builder().tcpNoDelay(true).build());
        // Helidon's packet logging listeners are on by default and ask the logger on every read
        // and write; Leopard's access log says what an operator needs.
        Http1Config http1 = withoutPacketLogs();
        if (guards.containsKey(listener)) {
            throw new IllegalStateException("listener " + listener + " is already set up");
        }
        ConnectionGuard guard = new ConnectionGuard(listener, limits, clock, exempt).start();
        guards.put(listener, guard);
        metrics.watch(guard);
        server.routing(routing -> routes.routing(routing, guard));
        // The guarded selector is the listener's only one, and HTTP/1 is not discovered as a
        // protocol of its own: with a single selector Helidon hands it each connection as soon as
        // it is accepted, before reading, so connections that never send a byte are seen and timed.
        server.protocolsDiscoverServices(false);
        server.clearProtocols();
        server.clearConnectionSelectors();
        server.addConnectionSelector(new GuardedConnections(http1, guard, clock));
        if (tls != null) {
            server.tls(GuardedTls.wrap(tls, guard));
            if (tls.sslParameters().getNeedClientAuth()) {
                mutualTls.add(listener);
            }
            // Helidon 4.5.0's NIO TLS path asks for the peer's host name (a reverse DNS lookup, in
            // native code that holds one of the few carrier threads) on every new connection: with
            // a resolver that is slow to answer, a burst of TLS connections stalled the whole node
            // for 20 s in ConnectionFloodIT. Its socket path asks no name and does the handshake
            // through GuardedTls, where the connection is counted first.
            server.useNio(false);
        }
        DirectHandler transportErrors = new TransportErrors();
        DirectHandlers.Builder direct = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            direct.addHandler(type, transportErrors);
        }
        server.directHandlers(direct.build());
    }

    /** Makes {@code /readyz} fail from now on: the first step of a graceful shutdown. */
    public void startDraining() {
        health.startDraining();
    }

    /**
     * Starts probing every listener from this node (see {@link ListenerProbe}).
     *
     * @param host         the address the listeners are reachable at from here
     * @param ports        each listener's bound port, by listener name
     * @param certificates the TLS certificate of each HTTPS listener, by name
     * @param deadListener what ends the node when a listener stays unanswering
     */
    public void startListenerProbe(InetAddress host, Map<String, Integer> ports, Map<String, X509Certificate> certificates,
                                   Runnable deadListener) {
        List<ListenerProbe.Target> targets = new ArrayList<>();
        ports.forEach((name, port) -> {
            ConnectionGuard guard = guards.get(name);
            if (guard != null && port > 0) {
                targets.add(new ListenerProbe.Target(name, host, port, guard, certificates.get(name), mutualTls.contains(name)));
            }
        });
        probe = new ListenerProbe(targets, PROBE_EVERY, health, deadListener).start(PROBE_EVERY);
    }

    /** Stops the listener self-probe: the first step of a shutdown. */
    public void stopProbing() {
        ListenerProbe p = probe;
        if (p != null) {
            p.close();
        }
    }

    /**
     * Closes the connections that are idle or still sending a request, on every listener: called
     * once the node stops accepting, so that only in-flight requests use the shutdown grace.
     */
    public void closeUnhandledConnections() {
        guards.values().forEach(ConnectionGuard::closeUnhandled);
    }

    /** Stops the guards' sweepers (after the web server has stopped). */
    @Override
    public void close() {
        stopProbing();
        guards.values().forEach(ConnectionGuard::close);
    }

    /**
     * Helidon's packet logging off. sendLog and receiveLog are marked for removal in Helidon 4.5;
     * kept until what replaces them is known (the warning is suppressed here only).
     */
    @SuppressWarnings("removal")
    private static Http1Config withoutPacketLogs() {
        return Http1Config.builder().sendLog(false).receiveLog(false).build();
    }
}
