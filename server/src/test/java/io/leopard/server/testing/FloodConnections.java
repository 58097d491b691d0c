package io.leopard.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Many client connections to a server under test, watched by one selector thread that notes when
 * each got its first answer byte and when the server closed it. For flood tests: bounded by the
 * caller's counts, and {@link #close()} closes everything.
 */
public final class FloodConnections implements AutoCloseable {
    /** What a flood connection does after connecting. */
    public enum Kind {
        /** Sends one whole request, then stays open. */
        IDLE,
        /** Sends the start of a request, then a byte a second (slowloris). */
        STALLED,
        /** Sends nothing at all (a TLS client that never sends its ClientHello). */
        SILENT
    }

    /** One connection and what happened to it, in System.nanoTime(). */
    public static final class Conn {
        public final Kind kind;
        public final long openedAt;
        final SocketChannel channel;
        volatile long answeredAt;
        volatile long closedAt;

        Conn(Kind kind, SocketChannel channel, long openedAt) {
            this.kind = kind;
            this.channel = channel;
            this.openedAt = openedAt;
        }

        public long answeredAt() {
            return answeredAt;
        }

        public long closedAt() {
            return closedAt;
        }
    }

    private final Selector selector;
    private final Queue<Conn> pending = new ConcurrentLinkedQueue<>();
    private final List<Conn> all = new CopyOnWriteArrayList<>();
    private final Thread watcher;
    private final Thread trickler;
    private volatile boolean running = true;

    public FloodConnections() throws IOException {
        selector = Selector.open();
        watcher = Thread.ofPlatform().name("flood-watcher").start(this::watch);
        trickler = Thread.ofPlatform().name("flood-trickler").start(this::trickle);
    }

    /**
     * Opens {@code count} connections from {@code from} to {@code port} on 127.0.0.1, each sending
     * {@code first} (null: nothing). A connection the server refuses is watched like the others:
     * it simply closes at once.
     */
    public void open(Kind kind, String from, int port, int count, String first) throws IOException {
        byte[] bytes = first == null ? null : first.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(from, 0));
            long opened = System.nanoTime();
            Conn c = new Conn(kind, ch, opened);
            all.add(c);
            try {
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                if (bytes != null) {
                    ch.write(ByteBuffer.wrap(bytes));
                }
                ch.configureBlocking(false);
                pending.add(c);
            } catch (IOException e) {
                c.closedAt = System.nanoTime(); // refused or reset at once
                ch.close();
            }
        }
        selector.wakeup();
    }

    public List<Conn> all() {
        return all;
    }

    /** Waits until every connection is closed by the server, or {@code atMost} passes. */
    public boolean awaitAllClosed(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (all.stream().allMatch(c -> c.closedAt != 0)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private void watch() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (running) {
            try {
                selector.select(100);
                for (Conn c = pending.poll(); c != null; c = pending.poll()) {
                    c.channel.register(selector, SelectionKey.OP_READ, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Conn c = (Conn) key.attachment();
                    int n;
                    try {
                        buf.clear();
                        n = c.channel.read(buf);
                    } catch (IOException e) {
                        n = -1; // reset by the server
                    }
                    if (n > 0 && c.answeredAt == 0) {
                        c.answeredAt = System.nanoTime();
                    }
                    if (n < 0) {
                        c.closedAt = System.nanoTime();
                        key.cancel();
                        c.channel.close();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                // a channel closed under us: the next round goes on
            }
        }
    }

    /** One byte a second on every stalled connection still open, as slowloris does. */
    private void trickle() {
        ByteBuffer x = ByteBuffer.wrap(new byte[] {'X'});
        while (running) {
            for (Conn c : all) {
                if (c.kind == Kind.STALLED && c.closedAt == 0 && c.channel.isOpen()) {
                    try {
                        x.rewind();
                        c.channel.write(x);
                    } catch (IOException e) {
                        // closed by the server: the watcher notes it
                    }
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        trickler.interrupt();
        try {
            watcher.join(5000);
            trickler.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // close the channels anyway, and let the caller see it
        }
        for (Conn c : all) {
            c.channel.close();
        }
        selector.close();
    }

    /** For messages: how many connections there are of each kind. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Kind k : Kind.values()) {
            parts.add(k + "=" + all.stream().filter(c -> c.kind == k).count());
        }
        return String.join(", ", parts);
    }
}
