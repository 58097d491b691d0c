package io.leopard.server.web.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The only connection selector of a listener, so it is asked as soon as a connection is accepted,
 * before any byte has arrived (Helidon reads first when it has several to choose from). It admits
 * the connection through the {@link ConnectionGuard}, watches it, and hands it to Helidon's HTTP/1
 * handling.
 *
 * <p>It also serves connections that carry one exchange: HTTP/1.0 ones, and HTTP/1.1 ones whose
 * request says {@code Connection: close}; their clients read the answer until the connection
 * closes. Helidon 4.5.0 answers every {@code HTTP/1.0} request with a 500 ("HTTP 1.0 is not
 * supported") and a logged stack trace, yet HTTP/1.0 is what nginx speaks to its upstreams unless
 * told otherwise ({@code proxy_http_version}) and what PHP's http stream wrapper sends by default.
 * And after answering a {@code Connection: close} request it keeps the socket open
 * (helidon-io/helidon#12324), so a client that reads to the end waits for its own timeout. An
 * {@code HTTP/1.0} request line is handed to the same HTTP/1 handling read as {@code HTTP/1.1} with
 * a {@code Connection: close} header after it, and without HTTP/1.1's required Host header; for
 * both kinds, once the answer has been written the connection reads as ended (see
 * {@link WatchedContext}). HelidonWorkaroundsStillNeededTest fails once an upgraded Helidon no
 * longer has these bugs, so that the workaround is removed then.
 */
public final class GuardedConnections implements ServerConnectionSelector {
    private static final byte[] HTTP_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AS_HTTP_11 = " HTTP/1.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A Connection header naming close among its comma-separated tokens, at the start of a header line. */
    private static final Pattern CONNECTION_CLOSE =
            Pattern.compile("\r\nconnection[ \t]*:([^\r\n]*[ \t,])?close[ \t]*(,|\r)", Pattern.CASE_INSENSITIVE);

    private final Http1ConnectionSelector http1;
    /** The same, without HTTP/1.1's rule that a request must name its Host: HTTP/1.0 has no such rule. */
    private final Http1ConnectionSelector http10;
    private final int maxRequestLine;
    private final ConnectionGuard guard;
    private final LongSupplier clock;

    public GuardedConnections(Http1Config config, ConnectionGuard guard, LongSupplier clock) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.http10 = Http1ConnectionSelector.builder()
                .config(withoutHostHeaderCheck(config))
                .build();
        this.maxRequestLine = config.maxPrologueLength();
        this.guard = guard;
        this.clock = clock;
    }

    /**
     * An HTTP/1.0 request has no Host header to check. The setting is marked for removal in Helidon
     * 4.5; kept until what replaces it is known (the warning is suppressed here only).
     */
    @SuppressWarnings("removal")
    private static Http1Config withoutHostHeaderCheck(Http1Config config) {
        return Http1Config.builder().from(config).validateRequestHostHeader(false).build();
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
        if (lineLength < HTTP_10.length || lineLength >= maxRequestLine) {
            return http1.connection(new WatchedContext(ctx, watched, clock, null, false));
        }
        if (!endsWithHttp10(reader, lineLength)) {
            return http1.connection(new WatchedContext(ctx, watched, clock, null, asksToClose(reader, lineLength)));
        }
        byte[] method = reader.readBytes(lineLength - HTTP_10.length);
        reader.skip(HTTP_10.length + 2); // " HTTP/1.0" and CRLF
        byte[] rewritten = new byte[method.length + AS_HTTP_11.length];
        System.arraycopy(method, 0, rewritten, 0, method.length);
        System.arraycopy(AS_HTTP_11, 0, rewritten, method.length, AS_HTTP_11.length);
        return http10.connection(new WatchedContext(ctx, watched, clock, rewritten, true));
    }

    /**
     * Whether the headers of the first request, when they have all arrived with it, say
     * {@code Connection: close}. Headers that come in later packets are not waited for: such a
     * connection is served as usual, only not closed early.
     */
    private static boolean asksToClose(DataReader reader, int lineLength) {
        String received = reader.getBuffer(reader.available()).readString(reader.available(), StandardCharsets.ISO_8859_1);
        int headersEnd = received.indexOf("\r\n\r\n", lineLength);
        return headersEnd > 0 && CONNECTION_CLOSE.matcher(received).region(lineLength, headersEnd + 2).find();
    }

    private static boolean endsWithHttp10(DataReader reader, int lineLength) {
        BufferData line = reader.getBuffer(lineLength);
        line.skip(lineLength - HTTP_10.length);
        for (byte b : HTTP_10) {
            if (line.read() != (b & 0xFF)) {
                return false;
            }
        }
        return true;
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
