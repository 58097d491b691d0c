package io.leopard.server.http;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.query.QueryService;
import java.util.function.BooleanSupplier;

/**
 * The HTTP face of Leopard: one handler for every path (so unknown paths and methods get the
 * protocol's JSON answers, checked in the protocol's order) and JSON answers for transport errors.
 */
public final class LeopardRouting {
    private final QueryHandler handler;
    private final Health health;

    public LeopardRouting(LeopardConfig config, QueryService queries, BooleanSupplier databaseReachable) {
        this.health = new Health(databaseReachable);
        this.handler = new QueryHandler(config, queries, health);
    }

    /**
     * Adds the routes and the transport error answers to one listener: the server's default socket
     * ({@code WebServerConfig.Builder}) or a named one, such as the HTTPS socket next to plain HTTP.
     */
    public void applyTo(ListenerConfig.BuilderBase<?, ?> server) {
        server.routing(this::routing);
        // Without TCP_NODELAY a batch answer larger than one write buffer waits ~40 ms for the
        // client's delayed ACK (Nagle): measured by bench/run.sh as a 44 ms p50 for 50 orders.
        server.connectionOptions(SocketOptions.builder().tcpNoDelay(true).build());
        // Helidon's packet logging listeners are on by default and ask the logger on every read
        // and write; Leopard's access log says what an operator needs.
        Http1Config http1 = Http1Config.builder().sendLog(false).receiveLog(false).build();
        server.addProtocol(http1);
        // asked before the HTTP/1 selector that addProtocol brings: HTTP/1.0 requests get answers,
        // and connections asked to close are closed after their answer
        server.addConnectionSelector(new OneExchangeConnections(http1));
        DirectHandler transportErrors = new TransportErrors();
        DirectHandlers.Builder direct = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            direct.addHandler(type, transportErrors);
        }
        server.directHandlers(direct.build());
    }

    void routing(HttpRouting.Builder routing) {
        routing.any(handler);
    }

    /** Makes {@code /readyz} fail from now on: the first step of a graceful shutdown. */
    public void startDraining() {
        health.startDraining();
    }
}
