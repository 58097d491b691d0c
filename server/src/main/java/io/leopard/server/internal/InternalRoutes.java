package io.leopard.server.internal;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.store.StoreException;
import io.leopard.server.web.ExchangeFilter;
import io.leopard.server.web.Health;
import io.leopard.server.web.HealthEndpoints;
import io.leopard.server.web.ListenerRoutes;
import io.leopard.server.web.RequestIds;
import io.leopard.server.web.RequestMetrics;
import io.leopard.server.web.connection.ConnectionEvents;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing table of the internal listener, in one read: the same request filter as the
 * merchant listeners (request id, access log without bodies or tokens, metrics), the bearer-token
 * check, the services under {@link #BASE}, the health paths, and JSON errors for everything else.
 * No merchant-facing path is served here, and none of these on the merchant listeners.
 */
public final class InternalRoutes implements ListenerRoutes {
    /** Where every internal service is mounted. */
    public static final String BASE = "/internal/v1";
    private static final Logger LOG = LoggerFactory.getLogger(InternalRoutes.class);

    private final BearerTokens tokens;
    private final List<HttpService> services;
    private final HealthEndpoints health;
    private final RequestMetrics metrics;
    private final ClientAddresses clients;
    private final RequestIds requestIds = new RequestIds();

    /**
     * @param settings the listener's tokens
     * @param services the internal services, each mounted under {@link #BASE}
     */
    public InternalRoutes(InternalSettings settings, List<HttpService> services, Health health, RequestMetrics metrics,
                          ClientAddresses clients) {
        this.tokens = new BearerTokens(settings.tokens());
        this.services = List.copyOf(services);
        this.health = new HealthEndpoints(health);
        this.metrics = metrics;
        this.clients = clients;
    }

    @Override
    public void routing(HttpRouting.Builder routing, ConnectionEvents connection) {
        routing.addFilter(new ExchangeFilter(requestIds, metrics, clients, connection))
                .addFilter(tokens)
                .register(health);
        for (HttpService service : services) {
            routing.register(BASE, service);
        }
        routing.any(InternalRoutes::notFound)
                .error(JsonBody.Failure.class, (req, res, f) -> InternalReplies.error(req, res, f.status, f.error, f.getMessage(), f.field))
                .error(ProtocolException.class, InternalRoutes::protocolFailure)
                .error(StoreException.class, InternalRoutes::storeFailure)
                .error(RuntimeException.class, InternalRoutes::unexpected);
    }

    private static void notFound(ServerRequest req, ServerResponse res) {
        InternalReplies.error(req, res, 404, "not_found", "no internal endpoint " + req.prologue().method().text()
                + " " + io.leopard.protocol.ParamRules.printable(req.path().rawPath()) + "; see docs/INTERNAL-API.md", null);
    }

    /** The body reader's failures: too large (413), or a body that is not a well-formed HTTP body (400). */
    private static void protocolFailure(ServerRequest req, ServerResponse res, ProtocolException e) {
        if (e.code() == ErrorCode.BODY_TOO_LARGE) {
            InternalReplies.error(req, res, 413, "body_too_large", e.getMessage(), null);
        } else {
            InternalReplies.error(req, res, 400, "bad_request", e.getMessage(), null);
        }
    }

    private static void storeFailure(ServerRequest req, ServerResponse res, StoreException e) {
        LOG.warn("internal {} {}: database failure, nothing written: {}", req.prologue().method().text(),
                req.path().rawPath(), e.getMessage());
        InternalReplies.error(req, res, 503, "unavailable", "the database is unavailable; nothing was written, try again", null);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, RuntimeException e) {
        LOG.error("internal {} {} failed", req.prologue().method().text(), req.path().rawPath(), e);
        InternalReplies.error(req, res, 500, "internal", "an unexpected failure (see the server log)", null);
    }
}
