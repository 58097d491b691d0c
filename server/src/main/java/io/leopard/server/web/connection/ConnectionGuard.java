package io.leopard.server.web.connection;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one listener's connections within {@link ConnectionLimits}, so that no client can hold
 * the node's memory or its ability to accept: every connection is admitted here, and closed by the
 * sweeper once it has waited for a request, or taken to send one, longer than its timeout.
 *
 * <p>When the listener (or the connection's address) is at its cap, a new connection is let in
 * in place of the connection that has been idle the longest, or of one that has been sending its
 * request or TLS handshake for over {@link #PRESSURE_GRACE_NANOS} (real clients send a request in
 * one packet). Connections that have carried a correctly signed request, and those from trusted
 * proxies, are never made room from: a merchant's kept-alive connection keeps its service however
 * many others arrive. When nothing can make room, the new connection is closed at once, and the
 * kernel's accept queue never fills with connections nobody answers.
 *
 * <p>Times come from the clock given (nanoseconds), so tests move time instead of sleeping.
 */
public final class ConnectionGuard implements ConnectionEvents, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    /** How long a connection may be mid-handshake or mid-request before it may make room for others. */
    static final long PRESSURE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String listener;
    private final ConnectionLimits limits;
    private final LongSupplier clock;
    private final Executor timeouts;
    private final Predicate<InetAddress> exempt;
    private final long idleNanos;
    private final long requestNanos;
    private final Map<InetSocketAddress, WatchedConnection> open = new ConcurrentHashMap<>();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    /** Source addresses of the node's own probes (see {@link ListenerProbe}): let past the limits. */
    private final Set<InetSocketAddress> probes = ConcurrentHashMap.newKeySet();
    /** Probes this listener has accepted: its accept loop works, however slow the answer is. */
    private final Set<InetSocketAddress> probesAdmitted = ConcurrentHashMap.newKeySet();
    private final ReentrantLock admission = new ReentrantLock();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile ScheduledExecutorService sweeper;
    private volatile boolean warned;
    /** Stopping: connections accepted from now on are closed at once. */
    private volatile boolean stopping;

    /**
     * @param exempt addresses without a per-address cap whose connections never make room for
     *               others: the trusted proxies, which carry many clients each
     */
    public ConnectionGuard(String listener, ConnectionLimits limits, LongSupplier clock, Predicate<InetAddress> exempt) {
        this(listener, limits, clock, exempt, r -> Thread.ofVirtual().name("leopard-timeout-answer").start(r));
    }

    /** As above; {@code timeouts} runs the answer and close of each timed-out request (tests: at once). */
    ConnectionGuard(String listener, ConnectionLimits limits, LongSupplier clock, Predicate<InetAddress> exempt,
                    Executor timeouts) {
        this.timeouts = timeouts;
        this.listener = listener;
        this.limits = limits;
        this.clock = clock;
        this.exempt = exempt;
        this.idleNanos = limits.idleTimeout().toNanos();
        this.requestNanos = limits.requestTimeout().toNanos();
    }

    /** Starts the sweeper: a daemon thread that closes timed-out connections a few times a second. */
    public ConnectionGuard start() {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leopard-connections-" + listener);
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(50, Math.min(250, limits.idleTimeout().toMillis() / 4));
        s.scheduleWithFixedDelay(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.warn("connection sweep failed: {}", e.toString());
            }
        }, period, period, TimeUnit.MILLISECONDS);
        sweeper = s;
        return this;
    }

    /**
     * Admits a connection from {@code peer}; {@code closer} closes its socket. Returns its record,
     * or {@code null} when it must be closed at once because nothing can make room for it.
     */
    public WatchedConnection admit(InetSocketAddress peer, Runnable closer) {
        return admit(peer, closer, () -> false);
    }

    /** As {@link #admit(InetSocketAddress, Runnable)}; {@code gone} tells whether the socket has been closed meanwhile. */
    WatchedConnection admit(InetSocketAddress peer, Runnable closer, BooleanSupplier gone) {
        InetAddress address = peer.getAddress();
        boolean isExempt = address != null && exempt.test(address);
        admission.lock();
        try {
            if (stopping) {
                return null;
            }
            long now = clock.getAsLong();
            boolean probe = probes.contains(peer);
            if (!probe) {
                // room is made only once it is known to be enough: one of the address's own
                // connections frees both its count and the listener's
                boolean addressFull = !isExempt && address != null && count(address) >= limits.maxPerAddress();
                boolean listenerFull = open.size() >= limits.maxConnections();
                if ((addressFull || listenerFull) && !makeRoom(addressFull ? address : null, now)) {
                    return refuse();
                }
            }
            if (probe) {
                probesAdmitted.add(peer);
            }
            WatchedConnection c = new WatchedConnection(peer, isExempt, closer, gone, now);
            WatchedConnection previous = open.put(peer, c);
            if (previous != null) {
                // the same address and port again: the old connection has gone without being released
                drop(previous);
            }
            if (address != null) {
                perAddress.merge(address, 1, Integer::sum);
            }
            return c;
        } finally {
            admission.unlock();
        }
    }

    /**
     * The connection of {@code peer} as admitted before its TLS handshake (see {@link GuardedTls}),
     * or, for plain connections, admitted now.
     */
    WatchedConnection adoptOrAdmit(InetSocketAddress peer, Runnable closer, boolean tls) {
        if (tls) {
            WatchedConnection c = open.get(peer);
            if (c != null) {
                return c;
            }
        }
        return admit(peer, closer);
    }

    /** Whatever is known of {@code peer}'s connection is dropped: it ended before it was handled. */
    void forget(InetSocketAddress peer) {
        WatchedConnection c = open.get(peer);
        if (c != null) {
            release(c);
        }
    }

    /** The node is about to probe itself from {@code source}: that connection is never refused. */
    public void expectProbe(InetSocketAddress source) {
        probes.add(source);
    }

    /** Forgets the probe from {@code source}; whether its connection was accepted at all. */
    public boolean probeDone(InetSocketAddress source) {
        probes.remove(source);
        return probesAdmitted.remove(source);
    }

    /** The connection has ended; counted once however often it is called. */
    void release(WatchedConnection c) {
        if (!c.release()) {
            return;
        }
        open.remove(c.peer(), c);
        InetAddress address = c.address();
        if (address != null) {
            // atomic per address, like the increment in admit: a count is never lost in between
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** The connection of {@code peer} carried a correctly signed request (see {@link WatchedConnection#trust()}). */
    @Override
    public void trusted(InetSocketAddress peer) {
        WatchedConnection c = open.get(peer);
        if (c != null) {
            c.trust();
        }
    }

    /** The handler of {@code peer}'s request has started to read its body. */
    @Override
    public void readingBody(InetSocketAddress peer) {
        WatchedConnection c = open.get(peer);
        if (c != null) {
            c.readingBody();
        }
    }

    /** The request of {@code peer}'s connection is in, and its handler runs. */
    @Override
    public void processing(InetSocketAddress peer) {
        WatchedConnection c = open.get(peer);
        if (c != null) {
            c.processing(clock.getAsLong());
        }
    }

    /**
     * Closes every connection whose request is not being handled (the idle ones, and those still
     * sending their headers), and from now on every new one. The first step of stopping: what is left is in-flight work, which the web
     * server's grace period is for (a slowloris connection would otherwise hold the stop for all of it).
     */
    public void closeUnhandled() {
        stopping = true;
        for (WatchedConnection c : open.values()) {
            WatchedConnection.State state = c.state();
            // a request whose handler has started (reading its body, or answering) is in flight:
            // the shutdown grace is for it
            if (state != WatchedConnection.State.PROCESSING && state != WatchedConnection.State.BODY) {
                drop(c);
            }
        }
    }

    /** Closes every connection that has been in its state longer than its timeout. */
    void sweep() {
        long now = clock.getAsLong();
        for (WatchedConnection c : open.values()) {
            if (c.gone()) {
                release(c); // a TLS handshake that failed: Helidon closed the socket without handling it
                continue;
            }
            WatchedConnection.State state = c.state();
            long limit = state == WatchedConnection.State.IDLE ? idleNanos : requestNanos;
            if (now - c.since() > limit) {
                timedOut.incrementAndGet();
                release(c);
                // the 400 is written on a thread of its own (a client that reads nothing could
                // block the write), and the socket is closed within a second whatever happens
                // (closing also ends a blocked write)
                timeouts.execute(() -> quietly(c::timeOut));
                ScheduledExecutorService s = sweeper;
                if (s != null) {
                    s.schedule(() -> quietly(c::close), 1, TimeUnit.SECONDS);
                }
            }
        }
    }

    /** Open connections. */
    public int open() {
        return open.size();
    }

    /** Connections closed at once because the listener or their address was full and nothing could make room. */
    public long refused() {
        return refused.get();
    }

    /** Connections closed to make room for new ones (idle the longest, or slow to send their request). */
    public long evicted() {
        return evicted.get();
    }

    /** Connections closed because their request, or the wait for the next one, took too long. */
    public long timedOut() {
        return timedOut.get();
    }

    /** The listener this guard keeps. */
    public String listener() {
        return listener;
    }

    private int count(InetAddress address) {
        Integer n = perAddress.get(address);
        return n == null ? 0 : n;
    }

    /**
     * Closes the connection (of {@code address}, or any when null) that has waited the longest
     * without being a merchant's: idle, or stalled in its handshake or request beyond the grace.
     */
    private boolean makeRoom(InetAddress address, long now) {
        WatchedConnection oldest = null;
        for (WatchedConnection c : open.values()) {
            if (c.trusted() || c.exempt() || (address != null && !address.equals(c.address()))) {
                continue;
            }
            long since = c.since();
            WatchedConnection.State state = c.state();
            if (state == WatchedConnection.State.PROCESSING) {
                continue; // being answered: making room from it would lose an answer
            }
            boolean idle = state == WatchedConnection.State.IDLE;
            if ((idle || now - since > PRESSURE_GRACE_NANOS) && (oldest == null || since < oldest.since())) {
                oldest = c;
            }
        }
        if (oldest == null) {
            return false;
        }
        evicted.incrementAndGet();
        drop(oldest);
        return true;
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.debug("closing a timed-out connection failed: {}", e.toString());
        }
    }

    private WatchedConnection refuse() {
        refused.incrementAndGet();
        if (!warned) {
            warned = true; // once: a flood must not flood the log too
            LOG.warn("listener {}: connection limits reached ({} per listener, {} per address); new connections "
                    + "that nothing can make room for are closed at once", listener, limits.maxConnections(), limits.maxPerAddress());
        }
        return null;
    }

    private void drop(WatchedConnection c) {
        release(c);
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a connection failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService s = sweeper;
        if (s != null) {
            s.shutdownNow();
        }
    }
}
