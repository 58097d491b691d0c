package io.leopard.server.web.connection;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import io.leopard.protocol.ErrorCode;
import io.leopard.server.query.FailureAnswer;
import io.leopard.server.web.helidonfix.OneExchange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A connection as Helidon's HTTP/1 handling sees it, with its reads and writes reported to its
 * {@link WatchedConnection} (for the guard's timeouts), and two repairs of Helidon 4.5.0:
 * <ul>
 *   <li>once an answer saying {@code Connection: close} has gone out (the server's own 400 and 413
 *       answers, or any answer on a connection that carries one exchange), the connection reads as
 *       ended, and a further answer is never written: Helidon would otherwise read the rest of a
 *       refused body as another request and answer it too (two answers to one request);</li>
 *   <li>its bytes may start with a rewritten request line (HTTP/1.0, see {@link io.leopard.server.web.helidonfix}).</li>
 * </ul>
 */
final class WatchedContext implements ConnectionContext {
    private final ConnectionContext delegate;
    private final DataReader reader;
    private final DataWriter writer;
    private final WatchedConnection watched;
    private final LongSupplier clock;
    private final boolean oneExchange;
    /** The whole answer to a request that did not arrive in time; the connection closes after it. */
    private static final byte[] TIMEOUT_ANSWER = timeoutAnswer();

    /** Decides, one at a time, which answer goes out: the handler's or the timeout's. */
    private final ReentrantLock answering = new ReentrantLock();
    /** An answer that closes the connection has started to go out. */
    private volatile boolean closing;

    /**
     * @param start       bytes the connection starts with instead of what was read so far, or null
     * @param oneExchange the connection ends after its first answer whatever that answer says
     */
    WatchedContext(ConnectionContext delegate, WatchedConnection watched, LongSupplier clock, byte[] start, boolean oneExchange) {
        this.delegate = delegate;
        this.watched = watched;
        this.clock = clock;
        this.oneExchange = oneExchange;
        DataReader original = delegate.dataReader();
        boolean[] startGiven = {start == null};
        this.reader = DataReader.create(() -> {
            if (!startGiven[0]) {
                startGiven[0] = true;
                return start;
            }
            if (closing) {
                return null; // the end of the connection: Helidon closes it
            }
            original.ensureAvailable(); // blocks for the socket; at its end, the same exception as before
            byte[] bytes = original.readBytes(original.available());
            watched.received(clock.getAsLong());
            return bytes;
        });
        if (original.available() > 0) {
            watched.received(clock.getAsLong()); // the first bytes were read before this wrapper existed
        }
        watched.onRequestTimeout(this::answerTimeout);
        DataWriter socket = delegate.dataWriter();
        this.writer = new DataWriter() {
            @Override
            public void write(BufferData... buffers) {
                if (admit(buffers.length > 0 ? buffers[0] : null)) {
                    socket.write(buffers);
                    written();
                }
            }

            @Override
            public void write(BufferData buffer) {
                if (admit(buffer)) {
                    socket.write(buffer);
                    written();
                }
            }

            @Override
            public void writeNow(BufferData... buffers) {
                if (admit(buffers.length > 0 ? buffers[0] : null)) {
                    socket.writeNow(buffers);
                    written();
                }
            }

            @Override
            public void writeNow(BufferData buffer) {
                if (admit(buffer)) {
                    socket.writeNow(buffer);
                    written();
                }
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

    /**
     * Whether {@code first} (the first buffer of a write) may go out. A write that starts an answer
     * ("HTTP/1.1 ..." other than an interim 100 Continue) moves the connection to idle; after an
     * answer that closes the connection, another answer is dropped.
     */
    private boolean admit(BufferData first) {
        if (HttpBytes.isContinue(first)) {
            return true; // interim: the body is still to arrive, the connection still receiving
        }
        if (!HttpBytes.startsAnswer(first)) {
            watched.writing(clock.getAsLong());
            return true; // the body of the answer being written
        }
        answering.lock();
        try {
            if (closing) {
                return false;
            }
            watched.writing(clock.getAsLong());
            if (oneExchange || OneExchange.answerSaysClose(first)) {
                closing = true;
            }
            return true;
        } finally {
            answering.unlock();
        }
    }

    /**
     * A write went out: the connection is idle until the next request (or the answer's next piece).
     * Marked after the write, so a connection is never closed to make room or at shutdown while
     * its answer is being written.
     */
    private void written() {
        if (watched.state() == WatchedConnection.State.PROCESSING) {
            watched.answered(clock.getAsLong());
        }
    }

    /**
     * The request did not arrive whole within the request timeout: answers it {@code 400
     * BAD_REQUEST} (unless its answer has started meanwhile) so the client learns why, before the
     * guard closes the connection. Runs on the guard's sweeper, while the connection's own thread
     * waits for bytes that do not come.
     */
    private void answerTimeout() {
        answering.lock();
        try {
            WatchedConnection.State state = watched.state();
            if (closing || (state != WatchedConnection.State.RECEIVING && state != WatchedConnection.State.BODY)) {
                return;
            }
            closing = true;
        } finally {
            answering.unlock();
        }
        try {
            delegate.dataWriter().writeNow(BufferData.create(TIMEOUT_ANSWER));
        } catch (RuntimeException e) {
            // the client has gone: nothing to tell
        }
    }

    private static byte[] timeoutAnswer() {
        byte[] body = FailureAnswer.body(ErrorCode.BAD_REQUEST, ErrorCode.BAD_REQUEST.message() + ": request not received in time");
        String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=UTF-8\r\n"
                + "Cache-Control: no-store\r\nConnection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
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
