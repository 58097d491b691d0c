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
import java.util.regex.Pattern;

/**
 * Connections that carry one exchange: HTTP/1.0 ones, and HTTP/1.1 ones whose request says
 * {@code Connection: close}. Their clients read the answer until the connection closes.
 *
 * <p>Helidon 4.5.0 answers every {@code HTTP/1.0} request with a 500 ("HTTP 1.0 is not supported")
 * and a logged stack trace, yet HTTP/1.0 is what nginx speaks to its upstreams unless told
 * otherwise ({@code proxy_http_version}) and what PHP's http stream wrapper sends by default. And
 * after answering a {@code Connection: close} request it keeps the socket open
 * (helidon-io/helidon#12324), so a client that reads to the end waits for its own timeout.
 *
 * <p>This selector is asked first on every new connection and looks at the bytes already received.
 * An {@code HTTP/1.0} request line is handed to the same HTTP/1 handling read as {@code HTTP/1.1}
 * with a {@code Connection: close} header after it, and without HTTP/1.1's required Host header. For
 * both kinds, once the answer has been written the connection reads as ended, so the server closes
 * it. Everything else goes to the HTTP/1 handling untouched.
 */
final class OneExchangeConnections implements ServerConnectionSelector {
    private static final byte[] HTTP_10 = " HTTP/1.0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] AS_HTTP_11 = " HTTP/1.1\r\nConnection: close\r\n".getBytes(StandardCharsets.US_ASCII);
    /** A Connection header naming close among its tokens, at the start of a header line. */
    private static final Pattern CONNECTION_CLOSE =
            Pattern.compile("\r\nconnection[ \t]*:[^\r\n]*\\bclose\\b", Pattern.CASE_INSENSITIVE);

    private final Http1ConnectionSelector http1;
    /** The same, without HTTP/1.1's rule that a request must name its Host: HTTP/1.0 has no such rule. */
    private final Http1ConnectionSelector http10;
    private final int maxRequestLine;

    OneExchangeConnections(Http1Config config) {
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
        if (lineLength < HTTP_10.length || lineLength >= maxRequestLine) {
            return http1.connection(ctx);
        }
        if (!endsWithHttp10(reader, lineLength)) {
            return asksToClose(reader, lineLength) ? http1.connection(new OneExchange(ctx, null)) : http1.connection(ctx);
        }
        byte[] method = reader.readBytes(lineLength - HTTP_10.length);
        reader.skip(HTTP_10.length + 2); // " HTTP/1.0" and CRLF
        byte[] rewritten = new byte[method.length + AS_HTTP_11.length];
        System.arraycopy(method, 0, rewritten, 0, method.length);
        System.arraycopy(AS_HTTP_11, 0, rewritten, method.length, AS_HTTP_11.length);
        return http10.connection(new OneExchange(ctx, rewritten));
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

    /**
     * The connection as it was, except that its bytes start with {@code start} (when not null) and
     * end once an answer has been written.
     */
    private static final class OneExchange implements ConnectionContext {
        private final ConnectionContext delegate;
        private final DataReader reader;
        private final DataWriter writer;
        private volatile boolean answered;

        OneExchange(ConnectionContext delegate, byte[] start) {
            this.delegate = delegate;
            DataReader original = delegate.dataReader();
            boolean[] startGiven = {start == null};
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
                    sawWrite(buffers.length > 0 ? buffers[0] : null);
                    socket.write(buffers);
                }

                @Override
                public void write(BufferData buffer) {
                    sawWrite(buffer);
                    socket.write(buffer);
                }

                @Override
                public void writeNow(BufferData... buffers) {
                    sawWrite(buffers.length > 0 ? buffers[0] : null);
                    socket.writeNow(buffers);
                }

                @Override
                public void writeNow(BufferData buffer) {
                    sawWrite(buffer);
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

        /** Any write but an interim "100 Continue" (after which the body is still to be read) is the answer. */
        private void sawWrite(BufferData first) {
            if (!answered && !isContinue(first)) {
                answered = true;
            }
        }

        private static boolean isContinue(BufferData b) {
            // "HTTP/1.1 100 Continue"; get(i) reads at the buffer's position without moving it
            return b != null && b.available() >= 12 && b.get(9) == '1' && b.get(10) == '0' && b.get(11) == '0';
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
