package io.leopard.server.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Lets HTTP/1.0 clients in. Helidon's HTTP/1 connection answers every {@code HTTP/1.0} request
 * with a 500 ("HTTP 1.0 is not supported") and a logged stack trace, yet HTTP/1.0 is what nginx
 * speaks to its upstreams unless told otherwise ({@code proxy_http_version}) and what PHP's http
 * stream wrapper sends by default: merchants' code and the platform's proxies both do.
 *
 * <p>This selector is asked first on every new connection. When the request line ends in
 * {@code HTTP/1.0}, the connection is handed to the same HTTP/1 handling with that line read as
 * {@code HTTP/1.1} and a {@code Connection: close} header after it, and without HTTP/1.1's
 * required Host header. An HTTP/1.0 exchange is one request and one answer, after which such
 * clients read until the connection closes; Helidon 4.5.0 sends {@code Connection: close} but
 * keeps the socket open (helidon-io/helidon#12324), so once the answer has been written the
 * connection reads as ended and the server closes it. Everything else goes to the HTTP/1 handling
 * untouched.
 */
final class Http10Connections implements ServerConnectionSelector {
    private static final byte[] HTTP_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AS_HTTP_11 = " HTTP/1.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Http1ConnectionSelector http1;
    /** The same, without HTTP/1.1's rule that a request must name its Host: HTTP/1.0 has no such rule. */
    private final Http1ConnectionSelector http10;
    private final int maxRequestLine;

    Http10Connections(Http1Config config) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.http10 = Http1ConnectionSelector.builder()
                .config(Http1Config.builder().from(config).validateRequestHostHeader(false).build())
                .build();
        this.maxRequestLine = config.maxPrologueLength();
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    /** Always: the version is only known once the request line is in, which {@link #connection} waits for. */
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
        DataReader reader = ctx.dataReader();
        int lineLength;
        try {
            lineLength = reader.findNewLine(maxRequestLine);
        } catch (RuntimeException e) {
            // no data, a bare LF, a line too long: the HTTP/1 handling reports it
            return http1.connection(ctx);
        }
        if (lineLength < HTTP_10.length || lineLength >= maxRequestLine || !endsWithHttp10(reader, lineLength)) {
            return http1.connection(ctx);
        }
        byte[] method = reader.readBytes(lineLength - HTTP_10.length);
        reader.skip(HTTP_10.length + 2); // " HTTP/1.0" and CRLF
        byte[] rewritten = new byte[method.length + AS_HTTP_11.length];
        System.arraycopy(method, 0, rewritten, 0, method.length);
        System.arraycopy(AS_HTTP_11, 0, rewritten, method.length, AS_HTTP_11.length);
        return http10.connection(new RewrittenStart(ctx, rewritten));
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

    /**
     * The connection as it was, except that its bytes start with {@code start} and end once an
     * answer has been written.
     */
    private static final class RewrittenStart implements ConnectionContext {
        private final ConnectionContext delegate;
        private final DataReader reader;
        private final DataWriter writer;
        private volatile boolean answered;

        RewrittenStart(ConnectionContext delegate, byte[] start) {
            this.delegate = delegate;
            DataReader original = delegate.dataReader();
            boolean[] startGiven = {false};
            this.reader = DataReader.create(() -> {
                if (!startGiven[0]) {
                    startGiven[0] = true;
                    return start;
                }
                if (answered) {
                    return null; // the end of the connection: Helidon closes it
                }
                original.ensureAvailable(); // blocks for the socket; at its end, the same exception as before
                return original.readBytes(original.available());
            });
            DataWriter socket = delegate.dataWriter();
            this.writer = new DataWriter() {
                @Override
                public void write(BufferData... buffers) {
                    answered = true;
                    socket.write(buffers);
                }

                @Override
                public void write(BufferData buffer) {
                    answered = true;
                    socket.write(buffer);
                }

                @Override
                public void writeNow(BufferData... buffers) {
                    answered = true;
                    socket.writeNow(buffers);
                }

                @Override
                public void writeNow(BufferData buffer) {
                    answered = true;
                    socket.writeNow(buffer);
                }

                @Override
                public void flush() {
                    socket.flush();
                }

                @Override
                public void close() {
                    socket.close();
                }
            };
        }

        @Override
        public DataReader dataReader() {
            return reader;
        }

        @Override
        public DataWriter dataWriter() {
            return writer;
        }

        @Override
        public ListenerContext listenerContext() {
            return delegate.listenerContext();
        }

        @Override
        public ExecutorService executor() {
            return delegate.executor();
        }

        @Override
        public Router router() {
            return delegate.router();
        }

        @Override
        public Optional<ProxyProtocolData> proxyProtocolData() {
            return delegate.proxyProtocolData();
        }

        @Override
        public HelidonSocket serverSocket() {
            return delegate.serverSocket();
        }

        @Override
        public PeerInfo remotePeer() {
            return delegate.remotePeer();
        }

        @Override
        public PeerInfo localPeer() {
            return delegate.localPeer();
        }

        @Override
        public boolean isSecure() {
            return delegate.isSecure();
        }

        @Override
        public String socketId() {
            return delegate.socketId();
        }

        @Override
        public String childSocketId() {
            return delegate.childSocketId();
        }
    }
}
