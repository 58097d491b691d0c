package io.leopard.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a listener's port can be bound, asked before the web server starts: Helidon 4.5.0 logs a
 * bind failure as a stack trace and carries on with the listener missing, so a busy port would
 * otherwise give a running process that serves nothing.
 */
final class PortCheck {
    private PortCheck() {
    }

    /** Throws a {@link StartupException} saying what to do when {@code host:port} cannot be bound. */
    static void requireFree(String host, int port, String what) {
        if (port == 0) {
            return; // any free port: the system picks one
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the server's own socket does: a port in TIME_WAIT is free
            probe.bind(new InetSocketAddress(host, port));
        } catch (BindException e) {
            throw new StartupException(what + " port " + port + " on " + host + " is already in use (another Leopard, or "
                    + "another program: `ss -ltnp 'sport = :" + port + "'` shows which); stop it, or choose another port"
                    + (what.equals("HTTP") ? " with --port or LEOPARD_PORT" : " with tls.port (LEOPARD_TLS_PORT)"));
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            throw new StartupException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
                    + " (check host and port" + (what.equals("HTTP") ? "" : ", tls.port") + ")");
        }
    }
}
