package io.leopard.server.web;

import io.helidon.webserver.http.HttpRouting;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.store.StoreException;
import io.leopard.server.web.connection.ConnectionEvents;
import java.util.List;

/**
 * The routing table of the merchant-facing listeners (plain HTTP and HTTPS alike), in one read:
 * filters for what every request needs, one service per concern, a fallback that keeps the
 * protocol's 404/405 answers, and one error mapping. The same table runs in the real server and
 * in memory in the routing tests.
 */
public final class MerchantRoutes implements ListenerRoutes {
    private final String prefix;
    private final RequestIds requestIds = new RequestIds();
    private final RequestMetrics metrics;
    private final ClientAddresses clientAddresses;
    private final ErrorAnswers errors;
    private final IndexPage index;
    private final HealthEndpoints health;
    private final MetricsEndpoint metricsEndpoint;
    private final QueryEndpoints queries;
    private final StaticPages pages;

    /**
     * @param settings the listeners' settings (path prefix, body limit, trusted proxies)
     * @param pipeline the protocol's checks and answers
     * @param health   whether the node is live and ready
     * @param metrics  what {@code /metrics} shows, and where each request is counted
     * @param clients  who is asking (the direct peer, or the client a trusted proxy forwarded for)
     */
    public MerchantRoutes(WebSettings settings, QueryPipeline pipeline, Health health, RequestMetrics metrics,
                          ClientAddresses clients) {
        this.metrics = metrics;
        this.prefix = settings.pathPrefix();
        this.clientAddresses = clients;
        this.errors = new ErrorAnswers(pipeline);
        this.index = new IndexPage(prefix, settings.playground());
        this.health = new HealthEndpoints(health);
        this.metricsEndpoint = new MetricsEndpoint(metrics);
        this.queries = new QueryEndpoints(pipeline, settings.maxBodyBytes());
        this.pages = new StaticPages(prefix, settings.playground());
    }

    @Override
    public void routing(HttpRouting.Builder routing, ConnectionEvents connection) {
        routing.addFilter(new ExchangeFilter(requestIds, metrics, clientAddresses, connection))
                .addFilter(new CanonicalPaths(errors));
        // each service registered and told to the fallback in one step, so the two cannot drift
        Fallback fallback = new Fallback();
        for (Endpoints page : List.of(index, health, metricsEndpoint, pages)) {
            routing.register(page);
            fallback.serving("", page);
        }
        if (prefix.isEmpty()) {
            routing.register(queries);
        } else {
            routing.register(prefix, queries);
        }
        fallback.serving(prefix, queries);
        routing.any(fallback)
                .error(ProtocolException.class, errors::protocolFailure)
                .error(StoreException.class, errors::storeFailure)
                .error(RuntimeException.class, errors::unexpected);
    }
}
