package io.leopard.server;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderStore;
import io.leopard.server.query.QueryService;
import io.leopard.server.store.Database;
import io.leopard.server.access.RateLimits;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.web.Health;
import io.leopard.server.web.ListenerRoutes;
import io.leopard.server.web.MerchantRoutes;
import io.leopard.server.web.WebListeners;
import io.leopard.server.web.WebSettings;
import io.leopard.server.web.ServerTls;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Leopard: database, merchant cache, query service and web server, started in that
 * order and closed in reverse. Plain HTTP listens on {@code port} (unless {@code http.enabled=false}),
 * HTTPS on {@code tls.port} when {@code tls.keystore} is set; both serve the same routes. Tests start
 * one on port 0 and ask {@link #port()} and {@link #tlsPort()}.
 */
public final class LeopardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeopardServer.class);
    /** The named socket of HTTPS when plain HTTP holds the default socket. */
    private static final String HTTPS_SOCKET = "https";
    /** Helidon's name of the default socket. */
    private static final String DEFAULT_SOCKET = "@default";

    private final LeopardConfig config;
    private final Database database;
    private final MerchantDirectory merchants;
    private final WebListeners listeners;
    private final WebServer webServer;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LeopardServer(LeopardConfig config, Database database, MerchantDirectory merchants,
                          WebListeners listeners, WebServer webServer) {
        this.config = config;
        this.database = database;
        this.merchants = merchants;
        this.listeners = listeners;
        this.webServer = webServer;
    }

    /**
     * Starts a server embedded in this process: a listener that stops answering its self-probe makes
     * {@code /healthz} fail and is logged, but does not end the process.
     */
    public static LeopardServer start(LeopardConfig config) {
        return start(config, () -> LOG.error("a listener stays unanswering; an embedded server does not exit by itself"));
    }

    /**
     * Starts the server; {@code deadListener} runs when a listener has stopped answering for good
     * ({@code leopard serve} exits then, so that a supervisor restarts it).
     */
    public static LeopardServer start(LeopardConfig config, Runnable deadListener) {
        long started = System.nanoTime();
        // logged once the server is up, so that a start-up failure is one line; before, at DEBUG
        LOG.debug("effective configuration:\n{}", config.describe());
        // the keystore is read before the database is touched: a bad one fails fast
        ServerTls serverTls = config.tlsKeystore() == null ? null : ServerTls.load(config.tlsKeystore(), config.tlsKeystorePassword());
        Tls tls = serverTls == null ? null : serverTls.tls();
        requirePortsFree(config);
        Database database = Database.open(config);
        MerchantDirectory merchants = null;
        try {
            merchants = Merchants.directory(config, database);
            OrderStore orders = new OrderStore(database);
            QueryService queries = new QueryService(merchants, orders, config.query().zone(), Clock.systemUTC());
            QueryPipeline pipeline = new QueryPipeline(queries, new RateLimits(config.rates(), System::nanoTime),
                    config.query().maxBatch());
            WebSettings web = config.web();
            Health health = new Health(database::isReachable);
            MerchantRoutes routes = new MerchantRoutes(web, pipeline, health);
            WebListeners listeners = new WebListeners(web.connections(), routes.clientAddresses()::isTrusted, health);
            WebServer webServer = webServer(config, listeners, routes, tls).start();
            requireListening(webServer, config, tls != null, listeners);
            LeopardServer leopard = new LeopardServer(config, database, merchants, listeners, webServer);
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, X509Certificate> certificates = new LinkedHashMap<>();
            ports.put(DEFAULT_SOCKET, webServer.port());
            if (serverTls != null) {
                String httpsListener = config.httpEnabled() ? HTTPS_SOCKET : DEFAULT_SOCKET;
                ports.put(httpsListener, webServer.port(httpsListener));
                certificates.put(httpsListener, serverTls.certificate());
            }
            listeners.startListenerProbe(probeHost(config.host()), ports, certificates, deadListener);
            if (!LOG.isDebugEnabled()) {
                LOG.info("effective configuration:\n{}", config.describe());
            }
            LOG.info("Leopard ready on {}{} in {} ms", config.httpEnabled() ? leopard.baseUrl() : "",
                    tls == null ? "" : (config.httpEnabled() ? " and " : "") + leopard.httpsBaseUrl(),
                    (System.nanoTime() - started) / 1_000_000);
            return leopard;
        } catch (RuntimeException e) {
            if (merchants != null) {
                merchants.close();
            }
            database.close();
            throw e;
        }
    }

    /**
     * The default socket is plain HTTP, or HTTPS alone when {@code http.enabled=false}; with both,
     * HTTPS is a named socket with the same routes. Each listener lets in-flight requests run for
     * {@code shutdown.grace} once it stops accepting.
     */
    private static WebServer webServer(LeopardConfig config, WebListeners listeners, ListenerRoutes routes, Tls tls) {
        Duration grace = config.shutdownGrace();
        WebServerConfig.Builder server = WebServer.builder()
                .host(config.host())
                .shutdownGracePeriod(grace)
                .shutdownHook(false);
        if (!config.httpEnabled()) {
            server.port(config.tlsPort());
            listeners.applyTo(server, DEFAULT_SOCKET, tls, routes);
        } else {
            server.port(config.port());
            listeners.applyTo(server, DEFAULT_SOCKET, null, routes);
            if (tls != null) {
                server.putSocket(HTTPS_SOCKET, socket -> {
                    socket.host(config.host()).port(config.tlsPort()).shutdownGracePeriod(grace);
                    listeners.applyTo(socket, HTTPS_SOCKET, tls, routes);
                });
            }
        }
        return server.build();
    }

    /**
     * Throws a {@link StartupException} saying what to do when a port the configuration listens on
     * is taken; asked before anything else is opened.
     */
    public static void requirePortsFree(LeopardConfig config) {
        if (config.httpEnabled()) {
            PortCheck.requireFree(config.host(), config.port(), "HTTP");
        }
        if (config.tlsKeystore() != null) {
            PortCheck.requireFree(config.host(), config.tlsPort(), "HTTPS");
        }
    }

    /**
     * Whether every listener is bound: one that could not bind (its port taken between the check
     * and the start) would leave a server that runs and serves nothing.
     */
    private static void requireListening(WebServer webServer, LeopardConfig config, boolean tls, WebListeners listeners) {
        boolean bound = webServer.isRunning() && webServer.port() > 0
                && (!tls || !config.httpEnabled() || webServer.port(HTTPS_SOCKET) > 0);
        if (!bound) {
            webServer.stop();
            listeners.close();
            throw new StartupException("a listener could not be bound (host " + config.host() + ", port " + config.port()
                    + (tls ? ", tls.port " + config.tlsPort() : "") + "): is another process using it?");
        }
    }

    /** The plain HTTP port actually bound (useful when the configured port is 0); -1 when HTTP is off. */
    public int port() {
        return config.httpEnabled() ? webServer.port() : -1;
    }

    /** The HTTPS port actually bound; -1 without TLS. */
    public int tlsPort() {
        if (config.tlsKeystore() == null) {
            return -1;
        }
        return config.httpEnabled() ? webServer.port(HTTPS_SOCKET) : webServer.port();
    }

    /**
     * The base URL of the endpoints, prefix included, as seen from this machine: plain HTTP when it
     * is on, else HTTPS.
     */
    public String baseUrl() {
        return config.httpEnabled() ? "http://" + localHost() + ":" + port() + config.pathPrefix() : httpsBaseUrl();
    }

    /** The HTTPS base URL of the endpoints, prefix included. */
    public String httpsBaseUrl() {
        if (config.tlsKeystore() == null) {
            throw new IllegalStateException("TLS is not configured (tls.keystore)");
        }
        return "https://" + localHost() + ":" + tlsPort() + config.pathPrefix();
    }

    /** Where this node reaches its own listeners: loopback for a wildcard address. */
    private static InetAddress probeHost(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : a;
        } catch (UnknownHostException e) {
            return InetAddress.getLoopbackAddress();
        }
    }

    private String localHost() {
        return "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
    }

    /** The configuration this server was started with. */
    public LeopardConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public MerchantDirectory merchants() {
        return merchants;
    }

    /**
     * Graceful shutdown: fails {@code /readyz} first and keeps serving for {@code shutdown.drain}
     * (so a load balancer takes the node out), then stops accepting and lets in-flight requests
     * finish within {@code shutdown.grace}, then closes the merchant cache and the pool. A second
     * call does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        listeners.stopProbing(); // a shutdown's slow last requests must not read as a dead listener
        listeners.startDraining();
        Duration drain = config.shutdownDrain();
        if (!drain.isZero()) {
            LOG.info("shutting down: /readyz fails, still serving for {} ms", drain.toMillis());
            try {
                Thread.sleep(drain);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // cut the drain short, but still shut down in order
            }
        }
        LOG.info("shutting down: no new connections, in-flight requests have {} ms", config.shutdownGrace().toMillis());
        listeners.closeUnhandledConnections();
        webServer.stop();
        listeners.close();
        merchants.close();
        database.close();
        LOG.info("Leopard stopped");
    }
}
