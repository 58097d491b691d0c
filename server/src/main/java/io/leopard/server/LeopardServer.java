package io.leopard.server;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.access.MemoryNoiseLedger;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.Channels;
import io.leopard.server.events.OrderEventConsumer;
import io.leopard.server.internal.InternalRoutes;
import io.leopard.server.internal.InternalServices;
import io.leopard.server.internal.InternalSettings;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.notify.Deliverer;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.query.EventFeed;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.query.QueryService;
import io.leopard.server.query.ReplayGuard;
import io.leopard.server.redis.SharedState;
import io.leopard.server.store.Database;
import io.leopard.server.sync.ChannelSync;
import io.leopard.server.web.Health;
import io.leopard.server.web.ListenerRoutes;
import io.leopard.server.web.MerchantRoutes;
import io.leopard.server.web.RequestMetrics;
import io.leopard.server.web.ServerTls;
import io.leopard.server.web.TlsSettings;
import io.leopard.server.web.WebListeners;
import io.leopard.server.web.WebSettings;
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
    /** The named socket of the internal listener. */
    private static final String INTERNAL_SOCKET = "internal";
    /** Helidon's name of the default socket. */
    private static final String DEFAULT_SOCKET = "@default";

    private final Settings settings;
    /** The listeners' settings, the part of {@link #settings} most methods read. */
    private final WebSettings web;
    private final Database database;
    private final MerchantDirectory merchants;
    private final WebListeners listeners;
    private final WebServer webServer;
    /** The order-event consumer, or {@code null} without {@code events.amqp.uri}. */
    private final OrderEventConsumer events;
    private final ChannelSync sync;
    /** The notification deliverer, or {@code null} with {@code notify.enabled=false}. */
    private final Deliverer deliverer;
    /** Rates, replay noises and merchant news: in Redis with {@code redis.url}, else this node's own. */
    private final SharedState shared;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LeopardServer(Settings settings, Database database, MerchantDirectory merchants,
                          WebListeners listeners, WebServer webServer, OrderEventConsumer events, ChannelSync sync,
                          Deliverer deliverer, SharedState shared) {
        this.settings = settings;
        this.web = settings.web();
        this.database = database;
        this.merchants = merchants;
        this.listeners = listeners;
        this.webServer = webServer;
        this.events = events;
        this.sync = sync;
        this.deliverer = deliverer;
        this.shared = shared;
    }

    /**
     * Starts a server embedded in this process: a listener that stops answering its self-probe makes
     * {@code /healthz} fail and is logged, but does not end the process.
     */
    public static LeopardServer start(Settings settings) {
        return start(settings, () -> LOG.error("a listener stays unanswering; an embedded server does not exit by itself"));
    }

    /**
     * Starts the server; {@code deadListener} runs when a listener has stopped answering for good
     * ({@code leopard serve} exits then, so that a supervisor restarts it).
     */
    public static LeopardServer start(Settings settings, Runnable deadListener) {
        long started = System.nanoTime();
        WebSettings web = settings.web();
        // logged once the server is up, so that a start-up failure is one line; before, at DEBUG
        LOG.debug("effective configuration:\n{}", settings.description());
        // the keystore is read before the database is touched: a bad one fails fast
        TlsSettings tlsSettings = web.tls();
        ServerTls serverTls = tlsSettings == null ? null : ServerTls.load(tlsSettings.keystore(), tlsSettings.keystorePassword());
        Tls tls = serverTls == null ? null : serverTls.tls();
        // so are the internal listener's keystore and truststore (mutual TLS)
        ServerTls internalTls = settings.internal() == null || settings.internal().tls() == null ? null
                : settings.internal().tls().load();
        requirePortsFree(web);
        if (settings.internal() != null) {
            PortCheck.requireFree(settings.internal().host(), settings.internal().port(), "internal");
        }
        Database database = Database.open(settings.database());
        MerchantDirectory merchants = null;
        WebServer webServer = null;
        WebListeners listeners = null;
        OrderEventConsumer events = null;
        ChannelSync sync = null;
        Deliverer deliverer = null;
        SharedState shared = null;
        try {
            merchants = Merchants.directory(settings.keys(), database);
            RequestMetrics metrics = new RequestMetrics();
            shared = SharedState.open(settings.redis(), settings.rates(), metrics.registry(), System::nanoTime);
            shared.follow(merchants);
            ChannelAccounts accounts = channelAccounts(settings, database);
            // only merchants with a channel account have their pending orders swept
            OrderWrites writes = new OrderWrites(database, settings.query().zone(), Clock.systemUTC(), metrics.registry(),
                    accounts::hasAny);
            sync = new ChannelSync(database, writes, accounts, settings.sync(), Clock.systemUTC(), metrics.registry());
            if (settings.notifications().enabled()) {
                deliverer = new Deliverer(database, merchants, settings.notifications(), settings.query().zone(), Clock.systemUTC(),
                        metrics.registry()).start();
            }
            OrderStore orders = new OrderStore(database);
            EventFeed feed = new EventFeed(database, settings.query().zone(), settings.query().eventsSettle(), Clock.systemUTC());
            QueryService queries = new QueryService(merchants, orders, settings.query().zone(), Clock.systemUTC(), sync.reads(),
                    feed, settings.query().batchConcurrency());
            QueryPipeline pipeline = new QueryPipeline(queries, shared.limits(), settings.query().maxBatch(),
                    new ReplayGuard(shared.noises(new MemoryNoiseLedger(System::nanoTime)), Clock.systemUTC(), settings.query().zone()));
            Health health = Health.starting(database::isReachable);
            ClientAddresses clients = new ClientAddresses(web.trustedProxies());
            MerchantRoutes routes = new MerchantRoutes(web, pipeline, health, metrics, clients);
            listeners = new WebListeners(web.connections(), clients::isTrusted, health, metrics);
            WebListeners applied = listeners;
            InternalSettings internal = settings.internal();
            WebServerConfig.Builder server = webServer(web, settings.shutdown(), listeners, routes, tls);
            if (internal != null) {
                InternalRoutes internalRoutes = new InternalRoutes(internal, InternalServices.of(internal, settings.query().zone(),
                        settings.keys(), database, writes, merchants, accounts, shared.merchantChanges()),
                        health, metrics, clients);
                server.putSocket(INTERNAL_SOCKET, socket -> {
                    socket.host(internal.host()).port(internal.port()).shutdownGracePeriod(settings.shutdown().grace());
                    applied.applyTo(socket, INTERNAL_SOCKET, internalTls == null ? null : internalTls.tls(), internalRoutes);
                });
            }
            webServer = server.build().start();
            requireListening(webServer, web, tls != null);
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, X509Certificate> certificates = new LinkedHashMap<>();
            ports.put(DEFAULT_SOCKET, webServer.port());
            if (internal != null) {
                if (webServer.port(INTERNAL_SOCKET) <= 0) {
                    throw new StartupException("the internal listener could not be bound (internal.host " + internal.host()
                            + ", internal.port " + internal.port() + "): is another process using it?");
                }
                ports.put(INTERNAL_SOCKET, webServer.port(INTERNAL_SOCKET));
                if (internalTls != null) {
                    // probed without a client certificate: see ListenerProbe on mutual TLS
                    certificates.put(INTERNAL_SOCKET, internalTls.certificate());
                }
            }
            if (serverTls != null) {
                String httpsListener = web.httpEnabled() ? HTTPS_SOCKET : DEFAULT_SOCKET;
                ports.put(httpsListener, webServer.port(httpsListener));
                certificates.put(httpsListener, serverTls.certificate());
            }
            if (settings.events() != null) {
                events = new OrderEventConsumer(settings.events(), writes, database::isReachable, metrics.registry()).start();
                health.show("events", events::connected);
            }
            if (shared.shared()) {
                health.show("redis", shared::up); // shown only: a node without Redis still answers
            }
            LeopardServer leopard = new LeopardServer(settings, database, merchants, listeners, webServer, events, sync, deliverer, shared);
            listeners.startListenerProbe(probeHost(web.host()), ports, certificates, deadListener);
            if (!LOG.isDebugEnabled()) {
                LOG.info("effective configuration:\n{}", settings.description());
            }
            LOG.info("Leopard ready on {}{} in {} ms", web.httpEnabled() ? leopard.baseUrl() : "",
                    tls == null ? "" : (web.httpEnabled() ? " and " : "") + leopard.httpsBaseUrl(),
                    (System.nanoTime() - started) / 1_000_000);
            health.started(); // after the line above: a node that answers ready has said so in its log
            return leopard;
        } catch (RuntimeException e) {
            // whatever had started stops again, in reverse order
            if (events != null) {
                events.close();
            }
            if (webServer != null) {
                webServer.stop();
            }
            if (sync != null) {
                sync.close();
            }
            if (deliverer != null) {
                deliverer.close();
            }
            if (listeners != null) {
                listeners.close();
            }
            if (shared != null) {
                shared.close();
            }
            if (merchants != null) {
                merchants.close();
            }
            database.close();
            throw e;
        }
    }

    /** Merchants' accounts at the channels this server speaks (credentials under the master key). */
    private static ChannelAccounts channelAccounts(Settings settings, Database database) {
        Channels channels = StandardChannels.create(settings.channels(), new ChannelHttp(settings.channels()), Clock.systemUTC());
        return new ChannelAccounts(database, KeyCipher.of(settings.keys()), channels, Clock.systemUTC());
    }

    /**
     * The default socket is plain HTTP, or HTTPS alone when {@code http.enabled=false}; with both,
     * HTTPS is a named socket with the same routes. Each listener lets in-flight requests run for
     * {@code shutdown.grace} once it stops accepting.
     */
    private static WebServerConfig.Builder webServer(WebSettings web, ShutdownSettings shutdown, WebListeners listeners,
                                       ListenerRoutes routes, Tls tls) {
        Duration grace = shutdown.grace();
        WebServerConfig.Builder server = WebServer.builder()
                .host(web.host())
                .shutdownGracePeriod(grace)
                .shutdownHook(false);
        if (!web.httpEnabled()) {
            server.port(web.tls().port());
            listeners.applyTo(server, DEFAULT_SOCKET, tls, routes);
        } else {
            server.port(web.port());
            listeners.applyTo(server, DEFAULT_SOCKET, null, routes);
            if (tls != null) {
                server.putSocket(HTTPS_SOCKET, socket -> {
                    socket.host(web.host()).port(web.tls().port()).shutdownGracePeriod(grace);
                    listeners.applyTo(socket, HTTPS_SOCKET, tls, routes);
                });
            }
        }
        return server;
    }


    /** As {@link #requirePortsFree(WebSettings)}, the internal listener's port too. */
    public static void requirePortsFree(Settings settings) {
        requirePortsFree(settings.web());
        if (settings.internal() != null) {
            PortCheck.requireFree(settings.internal().host(), settings.internal().port(), "internal");
        }
    }

    /**
     * Throws a {@link StartupException} saying what to do when a port the configuration listens on
     * is taken; asked before anything else is opened.
     */
    public static void requirePortsFree(WebSettings web) {
        if (web.httpEnabled()) {
            PortCheck.requireFree(web.host(), web.port(), "HTTP");
        }
        if (web.tls() != null) {
            PortCheck.requireFree(web.host(), web.tls().port(), "HTTPS");
        }
    }

    /**
     * Whether every listener is bound: one that could not bind (its port taken between the check
     * and the start) would leave a server that runs and serves nothing.
     */
    private static void requireListening(WebServer webServer, WebSettings web, boolean tls) {
        boolean bound = webServer.isRunning() && webServer.port() > 0
                && (!tls || !web.httpEnabled() || webServer.port(HTTPS_SOCKET) > 0);
        if (!bound) {
            throw new StartupException("a listener could not be bound (host " + web.host() + ", port " + web.port()
                    + (tls ? ", tls.port " + web.tls().port() : "") + "): is another process using it?");
        }
    }

    /** The plain HTTP port actually bound (useful when the configured port is 0); -1 when HTTP is off. */
    public int port() {
        return web.httpEnabled() ? webServer.port() : -1;
    }

    /** The internal listener's port actually bound; -1 when it is off. */
    public int internalPort() {
        return settings.internal() == null ? -1 : webServer.port(INTERNAL_SOCKET);
    }

    /** The base URL of the internal listener (no path: its endpoints are under /internal/v1), or {@code null} when off. */
    public String internalBaseUrl() {
        InternalSettings internal = settings.internal();
        if (internal == null) {
            return null;
        }
        String host = "0.0.0.0".equals(internal.host()) || "::".equals(internal.host()) ? "127.0.0.1" : internal.host();
        return (internal.tls() == null ? "http://" : "https://") + host + ":" + internalPort();
    }

    /** The HTTPS port actually bound; -1 without TLS. */
    public int tlsPort() {
        if (web.tls() == null) {
            return -1;
        }
        return web.httpEnabled() ? webServer.port(HTTPS_SOCKET) : webServer.port();
    }

    /**
     * The base URL of the endpoints, prefix included, as seen from this machine: plain HTTP when it
     * is on, else HTTPS.
     */
    public String baseUrl() {
        return web.httpEnabled() ? "http://" + localHost() + ":" + port() + web.pathPrefix() : httpsBaseUrl();
    }

    /** The HTTPS base URL of the endpoints, prefix included. */
    public String httpsBaseUrl() {
        if (web.tls() == null) {
            throw new IllegalStateException("TLS is not configured (tls.keystore)");
        }
        return "https://" + localHost() + ":" + tlsPort() + web.pathPrefix();
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
        return "0.0.0.0".equals(web.host()) || "::".equals(web.host()) ? "127.0.0.1" : web.host();
    }

    /** The settings this server was started with. */
    public Settings settings() {
        return settings;
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
        Duration drain = settings.shutdown().drain();
        if (!drain.isZero()) {
            LOG.info("shutting down: /readyz fails, still serving for {} ms", drain.toMillis());
            try {
                Thread.sleep(drain);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // cut the drain short, but still shut down in order
            }
        }
        LOG.info("shutting down: no new connections, in-flight requests have {} ms", settings.shutdown().grace().toMillis());
        listeners.closeUnhandledConnections();
        webServer.stop();
        listeners.close();
        if (events != null) {
            events.close(); // after the listeners: an event is applied like a write, and both end before the pool
        }
        sync.close(); // after the listeners (queries wait for it), before the pool its writes use
        if (deliverer != null) {
            deliverer.close(); // an attempt cut short is taken up again: its delivery is held, not lost
        }
        shared.close(); // after the listeners: no request asks Redis any more
        merchants.close();
        database.close();
        LOG.info("Leopard stopped");
    }
}
