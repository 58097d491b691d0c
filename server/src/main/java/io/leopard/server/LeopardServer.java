package io.leopard.server;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.http.LeopardRouting;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderStore;
import io.leopard.server.query.QueryService;
import io.leopard.server.system.Database;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Leopard: database, merchant cache, query service and web server, started in that
 * order and closed in reverse. Tests start one on port 0 and ask {@link #port()}.
 */
public final class LeopardServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeopardServer.class);

    private final LeopardConfig config;
    private final Database database;
    private final MerchantDirectory merchants;
    private final LeopardRouting routing;
    private final WebServer webServer;

    private LeopardServer(LeopardConfig config, Database database, MerchantDirectory merchants,
                          LeopardRouting routing, WebServer webServer) {
        this.config = config;
        this.database = database;
        this.merchants = merchants;
        this.routing = routing;
        this.webServer = webServer;
    }

    public static LeopardServer start(LeopardConfig config) {
        long started = System.nanoTime();
        LOG.info("effective configuration:\n{}", config.describe());
        Database database = Database.open(config);
        MerchantDirectory merchants = null;
        try {
            merchants = Merchants.directory(config, database);
            OrderStore orders = new OrderStore(database, config.dbQueryTimeout());
            QueryService queries = new QueryService(merchants, orders, config.zone(), Clock.systemUTC());
            LeopardRouting routing = new LeopardRouting(config, queries, database::isReachable);
            WebServerConfig.Builder server = WebServer.builder()
                    .host(config.host())
                    .port(config.port())
                    .shutdownHook(false);
            routing.applyTo(server);
            WebServer webServer = server.build().start();
            LeopardServer leopard = new LeopardServer(config, database, merchants, routing, webServer);
            LOG.info("Leopard ready on {} in {} ms", leopard.baseUrl(), (System.nanoTime() - started) / 1_000_000);
            return leopard;
        } catch (RuntimeException e) {
            if (merchants != null) {
                merchants.close();
            }
            database.close();
            throw e;
        }
    }

    /** The port actually bound (useful when the configured port is 0). */
    public int port() {
        return webServer.port();
    }

    /** The base URL of the endpoints, prefix included, as seen from this machine. */
    public String baseUrl() {
        String host = "0.0.0.0".equals(config.host()) || "::".equals(config.host()) ? "127.0.0.1" : config.host();
        return "http://" + host + ":" + port() + config.pathPrefix();
    }

    public Database database() {
        return database;
    }

    public MerchantDirectory merchants() {
        return merchants;
    }

    /** Fails {@code /readyz}, stops accepting, lets in-flight requests finish, closes the pool. */
    @Override
    public void close() {
        routing.startDraining();
        webServer.stop();
        merchants.close();
        database.close();
        LOG.info("Leopard stopped");
    }
}
