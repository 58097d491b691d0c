package io.leopard.server.web.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What {@link ConnectionGuard} knows of one open connection: where it comes from, what it is
 * doing (waiting for its first request, receiving one, idle between requests) and since when.
 * Reads and writes of the connection move it; the guard's sweeper closes it when it has been in
 * one state for too long.
 */
public final class WatchedConnection {
    enum State {
        /** Accepted; no byte of a request yet (a TLS handshake counts as this). */
        NEW,
        /** A request's headers are arriving. */
        RECEIVING,
        /** Its handler has started and reads the body, which is still arriving (timed from the request's first byte). */
        BODY,
        /** The request is in and being handled, or its answer is being written. */
        PROCESSING,
        /** Its answer written; waiting for the next request on a kept-alive connection. */
        IDLE
    }

    private final InetSocketAddress peer;
    private final boolean exempt;
    private final Runnable closer;
    private final BooleanSupplier gone;
    private final AtomicBoolean released = new AtomicBoolean();
    // written since-then-state and read state-then-since, both volatile: a reader that sees the
    // new state also sees its time
    private volatile long since;
    private volatile State state = State.NEW;
    private volatile boolean trusted;
    private volatile Runnable requestTimeoutAnswer = () -> { };

    WatchedConnection(InetSocketAddress peer, boolean exempt, Runnable closer, BooleanSupplier gone, long now) {
        this.peer = peer;
        this.gone = gone;
        this.exempt = exempt;
        this.closer = closer;
        this.since = now;
    }

    /** Bytes of a request arrived. */
    void received(long now) {
        State s = state;
        if (s == State.NEW || s == State.IDLE) {
            since = now;
            state = State.RECEIVING;
        }
    }

    /** The request's handler started and reads its body; the clock still runs from the first byte. */
    void readingBody() {
        if (state == State.RECEIVING) {
            state = State.BODY;
        }
    }

    /** The request is in and its handler runs. */
    void processing(long now) {
        since = now;
        state = State.PROCESSING;
    }

    /** An answer (or a piece of one) is being written: busy, as while the handler runs. */
    void writing(long now) {
        processing(now);
    }

    /** An answer started to go out. */
    void answered(long now) {
        since = now;
        state = State.IDLE;
    }

    /**
     * A request on this connection carried a valid merchant signature: the connection is a
     * merchant's, and is never closed to make room for others (only by its own timeouts).
     */
    void trust() {
        trusted = true;
    }

    State state() {
        return state;
    }

    long since() {
        return since;
    }

    InetSocketAddress peer() {
        return peer;
    }

    InetAddress address() {
        return peer.getAddress();
    }

    /** From a trusted proxy: no per-address cap, and never closed to make room. */
    boolean exempt() {
        return exempt;
    }

    boolean trusted() {
        return trusted;
    }

    /** Whether the socket was closed by someone else before the connection was handled. */
    boolean gone() {
        return gone.getAsBoolean();
    }

    /** Marks the connection gone; true only the first time. */
    boolean release() {
        return released.compareAndSet(false, true);
    }

    /** What to do before a request that is being received is cut off: tell the client why. */
    void onRequestTimeout(Runnable answer) {
        this.requestTimeoutAnswer = answer;
    }

    /** The request being received took too long: answers it if it can, then closes. */
    void timeOut() {
        if (state == State.RECEIVING || state == State.BODY) {
            requestTimeoutAnswer.run();
        }
        close();
    }

    /** Closes the socket: the connection's own thread then ends it. */
    void close() {
        closer.run();
    }
}
