package io.leopard.server.web;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.logging.AccessLog;
import io.leopard.server.web.connection.ConnectionEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-cutting work of every request, in one place: its request id (the caller's when plain,
 * echoed in {@code X-Request-Id}), who is asking, and, once it has been answered (by a service or
 * by {@link ErrorAnswers}, both of which run inside {@code chain.proceed()}), one access-log line
 * and one timer sample.
 */
public final class ExchangeFilter implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(ExchangeFilter.class);
    private static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");

    private final RequestIds requestIds;
    private final RequestMetrics metrics;
    private final ClientAddresses clientAddresses;
    private final ConnectionEvents connection;

    public ExchangeFilter(RequestIds requestIds, RequestMetrics metrics, ClientAddresses clientAddresses, ConnectionEvents connection) {
        this.requestIds = requestIds;
        this.metrics = metrics;
        this.clientAddresses = clientAddresses;
        this.connection = connection;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        InetSocketAddress peer = req.remotePeer().address() instanceof InetSocketAddress isa ? isa : null;
        InetAddress client = clientAddresses.resolve(req.remotePeer().address(), req.headers().values(X_FORWARDED_FOR));
        String requestId = requestIds.next(req.headers().first(X_REQUEST_ID).orElse(null));
        Exchange exchange = new Exchange(start, requestId, req.prologue().method().text(), req.path().rawPath(),
                client, peer, connection);
        req.context().register(exchange);
        res.header(X_REQUEST_ID, requestId);
        try {
            chain.proceed();
        } catch (CloseConnectionException e) {
            // the answer could not be written (the client has gone: reset, or closed by the guard),
            // or Helidon gave up on it: either way the connection ends here
            exchange.outcome("CLIENT_GONE", exchange.hasOutcome() ? exchange.status() : 0);
            LOG.debug("requestId={} connection ended before its answer: {}", requestId, e.getMessage());
            throw e;
        } finally {
            if (!exchange.hasOutcome()) {
                // answered without a service saying how: a page (200), or a failure Helidon
                // answered itself (through TransportErrors)
                int status = res.status().code();
                exchange.outcome(status < 400 ? "OK" : TransportErrors.codeFor(status).name(), status);
            }
            if (!exchange.isUnrecorded()) {
                AccessLog.record(exchange.method(), exchange.path(), exchange.mid(), exchange.outcome(), exchange.status(),
                        start, requestId);
                metrics.record(exchange.metricName(), exchange.outcome(), System.nanoTime() - start);
            }
        }
    }
}
