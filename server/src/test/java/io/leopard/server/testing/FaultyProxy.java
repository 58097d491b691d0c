package io.leopard.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of a database, for outage tests. {@link #sever()} drops every
 * connection and swallows new ones (accepted, then never answered: the client hangs until its own
 * timeouts); {@link #freeze()} keeps connections open but stops forwarding, as a database that no
 * longer answers; {@link #restore()} closes whatever lived through the fault and forwards again.
 */
public final class FaultyProxy implements AutoCloseable {
    private enum Mode { FORWARD, SEVERED, FROZEN }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.FORWARD;

    private FaultyProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
        Thread.ofVirtual().name("faulty-proxy-accept").start(this::acceptLoop);
    }

    public static FaultyProxy to(String host, int port) {
        try {
            return new FaultyProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection; new ones are accepted and then ignored. */
    public void sever() {
        mode = Mode.SEVERED;
        closeAll();
    }

    /** Existing and new connections stay open but nothing is forwarded any more. */
    public void freeze() {
        mode = Mode.FROZEN;
    }

    /** Closes the connections that lived through the fault (their streams are broken) and forwards again. */
    public void restore() {
        closeAll();
        mode = Mode.FORWARD;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                if (mode != Mode.FORWARD) {
                    continue; // held open, never answered
                }
                Socket upstream = new Socket();
                open.add(upstream);
                try {
                    upstream.connect(target, 2000);
                } catch (IOException e) {
                    close(client);
                    close(upstream);
                    continue;
                }
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (mode == Mode.FORWARD) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            close(from);
            close(to);
        }
    }

    private void closeAll() {
        for (Socket s : Set.copyOf(open)) {
            close(s);
        }
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        closeAll();
    }
}
