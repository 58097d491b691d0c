package io.leopard.server.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.leopard.server.web.connection.ConnectionGuard;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node asks itself, every few seconds and on each listener, {@code GET /healthz} over a new
 * connection, as a client would. A listener can stop accepting while the JVM lives on (Helidon's
 * accept loop ends for good on an unexpected error such as running out of file descriptors); its
 * socket still takes connections into the kernel's queue, nothing answers them, and a supervisor
 * that watches the process sees nothing wrong. After {@link #FAILURES_TO_DOWN} failed probes in a
 * row {@code /healthz} answers 503 wherever it still can; after {@link #FAILURES_TO_EXIT} the node
 * exits so that it is restarted. A probe the listener accepted but answered late counts as a
 * success: the node is busy, not dead, and a flood of requests must not make it restart itself.
 *
 * <p>A listener that requires a client certificate (the internal one over mutual TLS) is asked
 * for its TLS handshake only: the probe holds no client certificate (see {@link #mutualHandshake}).
 *
 * <p>The probe's connections are let past the connection limits (the guard is told their source
 * port first), so a flood cannot make the node think itself broken.
 */
final class ListenerProbe implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenerProbe.class);
    static final int FAILURES_TO_DOWN = 2;
    static final int FAILURES_TO_EXIT = 3;
    /** Marks the probe's own requests, which are kept out of the access log and the metrics. */
    static final HeaderName PROBE_HEADER = HeaderNames.create("X-Leopard-Probe");
    /** Random per process, so no client can hide its requests from the log by sending the header. */
    private static final String TOKEN = token();
    private static final byte[] REQUEST = ("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + PROBE_HEADER.defaultCase() + ": " + TOKEN + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /**
     * One listener to probe. {@code certificate} is its TLS certificate, or null for plain HTTP;
     * {@code clientCertificateRequired} marks mutual TLS (the internal listener's).
     */
    record Target(String name, InetAddress host, int port, ConnectionGuard guard, X509Certificate certificate,
                  boolean clientCertificateRequired) {
        Target(String name, InetAddress host, int port, ConnectionGuard guard, X509Certificate certificate) {
            this(name, host, port, guard, certificate, false);
        }
    }

    private final List<Target> targets;
    private final Duration timeout;
    private final Health health;
    private final Runnable exit;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;

    /**
     * @param timeout how long one probe may take to be answered
     * @param exit    what ends the node (System.exit in the server, a counter in tests)
     */
    ListenerProbe(List<Target> targets, Duration timeout, Health health, Runnable exit) {
        this.targets = List.copyOf(targets);
        this.timeout = timeout;
        this.health = health;
        this.exit = exit;
    }

    ListenerProbe start(Duration every) {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leopard-listener-probe");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::probeAll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private static String token() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes); // nextBytes: generateSeed may block at class initialisation
        return HexFormat.of().formatHex(bytes);
    }

    /** What this process's probes carry in {@link #PROBE_HEADER} (for tests of what they are spared). */
    static String probeToken() {
        return TOKEN;
    }

    /** Whether a request is this node's own probe. */
    static boolean isProbe(ServerRequestHeaders headers) {
        return headers.first(PROBE_HEADER).map(TOKEN::equals).orElse(false);
    }

    /** Probes every listener once and acts on the results. */
    void probeAll() {
        for (Target target : targets) {
            boolean ok = probe(target);
            int failed = ok ? 0 : failures.merge(target.name(), 1, Integer::sum);
            if (ok) {
                if (failures.put(target.name(), 0) instanceof Integer before && before >= FAILURES_TO_DOWN) {
                    LOG.warn("listener {} answers again", target.name());
                }
                health.listenerUp(target.name());
                continue;
            }
            if (failed == FAILURES_TO_DOWN) {
                LOG.error("listener {} (port {}) did not answer {} probes in a row: /healthz now fails",
                        target.name(), target.port(), failed);
                health.listenerDown(target.name());
            }
            if (failed >= FAILURES_TO_EXIT) {
                LOG.error("listener {} (port {}) still does not answer: exiting so that the node is restarted",
                        target.name(), target.port());
                exit.run();
                return;
            }
        }
    }

    /** Whether the listener answered {@code GET /healthz} with a status line in time. */
    boolean probe(Target target) {
        InetSocketAddress local = null;
        boolean answered = false;
        boolean accepted = false;
        try (Socket socket = new Socket()) {
            // from the listener's own address, so the source the guard is told of is the one it sees
            socket.bind(new InetSocketAddress(target.host(), 0));
            local = (InetSocketAddress) socket.getLocalSocketAddress();
            target.guard().expectProbe(local);
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            if (target.clientCertificateRequired()) {
                answered = mutualHandshake(socket, target);
            } else {
                Socket channel = target.certificate() == null ? socket : tls(socket, target);
                OutputStream out = channel.getOutputStream();
                out.write(REQUEST);
                out.flush();
                InputStream in = channel.getInputStream();
                byte[] head = in.readNBytes(12);
                answered = head.length == 12 && new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 ");
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.debug("probe of listener {} failed: {}", target.name(), e.toString());
        } finally {
            if (local != null) {
                accepted = target.guard().probeDone(local);
            }
        }
        if (!answered && accepted) {
            // the listener took the connection and handed it to its handler: its accept loop works,
            // the node is only busy (a flood of requests must not make it restart itself)
            LOG.debug("listener {} accepted the probe but did not answer in time: busy, not dead", target.name());
            return true;
        }
        return answered;
    }

    /** TLS over the probe's socket, trusting exactly the node's own certificate. */
    private static Socket tls(Socket socket, Target target) throws GeneralSecurityException, IOException {
        SSLSocket ssl = tlsSocket(socket, target, new OwnCertificate(target.certificate()));
        ssl.startHandshake();
        return ssl;
    }

    /**
     * A listener that requires a client certificate cannot be asked {@code GET /healthz} by the
     * probe: the probe holds no certificate the truststore vouches for, and trusting the node's own
     * key as a client would widen who may connect. It is alive when it answers the probe's
     * ClientHello with the node's own certificate: its accept loop took the connection and a thread
     * ran the handshake, which is what the probe is for. The handshake then fails on the server's
     * side (no client certificate), as it must.
     */
    private static boolean mutualHandshake(Socket socket, Target target) throws GeneralSecurityException {
        OwnCertificate own = new OwnCertificate(target.certificate());
        try (SSLSocket ssl = tlsSocket(socket, target, own)) {
            ssl.startHandshake(); // TLS 1.3 completes on the client's side; TLS 1.2 throws here
        } catch (IOException e) {
            LOG.trace("probe of listener {}: handshake refused without a client certificate, as expected", target.name());
        }
        return own.seen();
    }

    private static SSLSocket tlsSocket(Socket socket, Target target, OwnCertificate trust)
            throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        return (SSLSocket) context.getSocketFactory()
                .createSocket(socket, target.host().getHostAddress(), target.port(), true);
    }

    /**
     * Trusts the one certificate the node itself serves; the probe checks liveness, not identity.
     * Remembers whether the server has shown it.
     */
    private static final class OwnCertificate implements X509TrustManager {
        private final X509Certificate own;
        private volatile boolean seen;

        OwnCertificate(X509Certificate own) {
            this.own = own;
        }

        /** Whether the server presented the node's own certificate. */
        boolean seen() {
            return seen;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0 || !chain[0].equals(own)) {
                throw new CertificateException("not this node's certificate");
            }
            seen = true;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the probe is a client");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
