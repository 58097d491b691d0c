package io.leopard.server.web.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.leopard.server.web.helidonfix.OneExchange;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The only connection selector of a listener, so it is asked as soon as a connection is accepted,
 * before any byte has arrived (Helidon reads first when it has several to choose from). It admits
 * the connection through the {@link ConnectionGuard}, watches it, and hands it to Helidon's HTTP/1
 * handling.
 *
 * <p>It also serves connections that carry one exchange, HTTP/1.0 ones and HTTP/1.1 ones whose
 * request says {@code Connection: close}, which Helidon 4.5.0 cannot: see
 * {@link io.leopard.server.web.helidonfix}. Once their answer has been written the connection
 * reads as ended (see {@link WatchedContext}).
 */
public final class GuardedConnections implements ServerConnectionSelector {
    private final Http1ConnectionSelector http1;
    /** The same, without HTTP/1.1's rule that a request must name its Host: HTTP/1.0 has no such rule. */
    private final Http1ConnectionSelector http10;
    private final int maxRequestLine;
    private final ConnectionGuard guard;
    private final LongSupplier clock;

    public GuardedConnections(Http1Config config, ConnectionGuard guard, LongSupplier clock) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.http10 = Http1ConnectionSelector.builder()
                .config(OneExchange.withoutHostHeaderCheck(config))
                .build();
        this.maxRequestLine = config.maxPrologueLength();
        this.guard = guard;
        this.clock = clock;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    /** Always: every connection is HTTP/1 here. */
    @Override
    public Support supports(BufferData data) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        SocketAddress remote = ctx.remotePeer().address();
        InetSocketAddress peer = remote instanceof InetSocketAddress isa ? isa : new InetSocketAddress(0);
        WatchedConnection watched = guard.adoptOrAdmit(peer, () -> ctx.serverSocket().close(), ctx.isSecure());
        if (watched == null) {
            return Refused.INSTANCE;
        }
        try {
            return new Released(select(ctx, watched), guard, watched);
        } catch (RuntimeException | Error e) {
            guard.release(watched);
            throw e;
        }
    }

    private ServerConnection select(ConnectionContext ctx, WatchedConnection watched) {
        DataReader reader = ctx.dataReader();
        int lineLength;
        try {
            lineLength = reader.findNewLine(maxRequestLine); // blocks for the request line; the guard's timeouts bound it
        } catch (RuntimeException e) {
            // no data, a bare LF, a line too long: the HTTP/1 handling reports it
            return http1.connection(new WatchedContext(ctx, watched, clock, null, false));
        }
        if (lineLength >= maxRequestLine) {
            return http1.connection(new WatchedContext(ctx, watched, clock, null, false));
        }
        if (!OneExchange.isHttp10(reader, lineLength)) {
            return http1.connection(new WatchedContext(ctx, watched, clock, null, OneExchange.requestAsksToClose(reader, lineLength)));
        }
        return http10.connection(new WatchedContext(ctx, watched, clock, OneExchange.asHttp11(reader, lineLength), true));
    }

    /** A connection over the limits: handled by returning at once, after which Helidon closes it. */
    private enum Refused implements ServerConnection {
        INSTANCE;

        @Override
        public void handle(Limit limit) {
            // nothing: the connection is closed unread
        }

        @Override
        public Duration idleTime() {
            return Duration.ZERO;
        }

        @Override
        public void close(boolean interrupt) {
            // nothing held
        }
    }

    /** Tells the guard when the connection's handling ends, however it ends. */
    private record Released(ServerConnection delegate, ConnectionGuard guard, WatchedConnection watched)
            implements ServerConnection {
        @Override
        public void handle(Limit limit) throws InterruptedException {
            try {
                delegate.handle(limit);
            } finally {
                guard.release(watched);
            }
        }

        @Override
        public Duration idleTime() {
            return delegate.idleTime();
        }

        @Override
        public void close(boolean interrupt) {
            delegate.close(interrupt);
        }
    }
}
