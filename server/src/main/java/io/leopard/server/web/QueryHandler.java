package io.leopard.server.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.ServerConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.access.RateLimits;
import io.leopard.server.access.RateSettings;
import io.leopard.server.logging.AccessLog;
import io.leopard.server.query.JsonWriter;
import io.leopard.server.query.QueryOutcome;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.query.QueryService;
import io.leopard.server.query.QuerySettings;
import io.leopard.server.store.StoreException;
import io.leopard.server.web.connection.ConnectionEvents;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request passes here, so the checks run in the protocol's order: path (404), method
 * (405), size (413), media type (415) and the body here; then the {@link QueryPipeline}
 * (parameters, sign type, merchant, allow-list, signature, rate, answer). Each outcome is answered
 * once and logged once.
 */
final class QueryHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(QueryHandler.class);
    private static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    private static final HeaderName X_FORWARDED_FOR = HeaderNames.create("X-Forwarded-For");
    private static final Header PROMETHEUS_TEXT =
            HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");

    private final String prefix;
    private final Index index;
    private final int maxBodyBytes;
    private final QueryPipeline pipeline;
    private final Health health;
    private final ClientAddresses clientAddresses;
    private final RequestIds requestIds = new RequestIds();
    private final RequestMetrics metrics = new RequestMetrics();
    /** Told when each request's handling starts, and when it carried a correct signature. */
    private final ConnectionEvents connections;

    QueryHandler(WebSettings web, RateSettings rates, QuerySettings query, QueryService queries, Health health,
                 ClientAddresses clientAddresses, ConnectionEvents connections) {
        this.connections = connections;
        this.prefix = web.pathPrefix();
        this.index = new Index(prefix);
        this.maxBodyBytes = web.maxBodyBytes();
        this.health = health;
        this.clientAddresses = clientAddresses;
        this.pipeline = new QueryPipeline(queries, new RateLimits(rates, System::nanoTime), query.maxBatch());
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        InetSocketAddress peer = req.remotePeer().address() instanceof InetSocketAddress isa ? isa : null;
        String requestId = requestIds.next(req.headers().first(X_REQUEST_ID).orElse(null));
        res.header(X_REQUEST_ID, requestId);
        String method = req.prologue().method().text();
        String path = req.path().rawPath();
        String mid = null;
        String outcome;
        int status = 200;
        InetAddress client = clientAddresses.resolve(req.remotePeer().address(), req.headers().values(X_FORWARDED_FOR));
        try {
            if (RequestMetrics.PATH.equals(path)) {
                processing(peer);
                if (req.prologue().method() != Method.GET) {
                    res.header(Replies.ALLOW_GET);
                    throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, "仅支持GET请求");
                }
                res.header(PROMETHEUS_TEXT);
                res.send(metrics.scrape());
                outcome = "OK";
            } else if (health.handles(path)) {
                processing(peer);
                status = health.answer(path, req.prologue().method(), res);
                if (ListenerProbe.isProbe(req.headers())) {
                    return; // the node asking itself every few seconds: neither logged nor counted
                }
                outcome = status == 200 ? "OK" : status == 405 ? ErrorCode.METHOD_NOT_ALLOWED.name() : "NOT_READY";
            } else if (index.handles(path)) {
                processing(peer);
                if (req.prologue().method() != Method.GET && req.prologue().method() != Method.HEAD) {
                    res.header(Replies.ALLOW_GET);
                    throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, "仅支持GET请求");
                }
                Replies.send(res, 200, index.body());
                outcome = "OK";
            } else {
                Endpoint endpoint = endpointOf(prefix, path);
                if (req.prologue().method() != Method.POST) {
                    res.header(Replies.ALLOW_POST);
                    throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED);
                }
                readingBody(peer);
                byte[] body = BodyReader.read(req, maxBodyBytes);
                // only now is the request in: while its body trickles, the connection stays one
                // that is still sending (timed from its first byte, and made room from under pressure)
                processing(peer);
                MediaType type = MediaType.parse(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
                Map<String, String> params = BodyParser.parse(body, type);
                String named = params.get("mid");
                mid = ParamRules.isMid(named) ? named : null;
                switch (pipeline.run(endpoint, params, client)) {
                    case QueryOutcome.Answered answered -> {
                        if (peer != null) {
                            connections.trusted(peer);
                        }
                        Replies.send(res, 200, JsonWriter.object(answered.answer().fields()));
                        outcome = answered.answer().resultCode();
                    }
                    case QueryOutcome.Refused refused -> {
                        outcome = refused.code().name();
                        status = refused.httpStatus();
                        Replies.failure(res, refused.code(), refused.message());
                    }
                }
            }
        } catch (ProtocolException e) {
            // an HTTP-level failure (404, 405, 413, 415, 400) or a body that is no flat form/JSON:
            // charged to the address like the pipeline's own failures
            if (e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.BODY_TOO_LARGE) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            QueryOutcome.Refused refused = pipeline.refuse(e, client);
            outcome = refused.code().name();
            status = refused.httpStatus();
            Replies.failure(res, refused.code(), refused.message());
        } catch (StoreException e) {
            outcome = ErrorCode.SYSTEM_ERROR.name();
            if (e.isShortCircuited()) {
                // answered in microseconds, so possibly thousands a second: the breaker logged the
                // outage once when it opened, and the access log still has every request
                LOG.debug("requestId={} {}", requestId, e.getMessage());
            } else {
                LOG.warn("requestId={} database unavailable: {}", requestId, e.getMessage());
            }
            Replies.failure(res, ErrorCode.SYSTEM_ERROR, ErrorCode.SYSTEM_ERROR.message());
        } catch (ServerConnectionException e) {
            // the answer could not be written: the client has gone (reset, or closed by the guard)
            outcome = "CLIENT_GONE";
            LOG.debug("requestId={} client gone before its answer: {}", requestId, e.getMessage());
        } catch (RuntimeException e) {
            outcome = ErrorCode.SYSTEM_ERROR.name();
            LOG.error("requestId={} unexpected failure", requestId, e);
            if (!res.isSent()) {
                Replies.failure(res, ErrorCode.SYSTEM_ERROR, ErrorCode.SYSTEM_ERROR.message());
            }
        }
        AccessLog.record(method, path, mid, outcome, status, start, requestId);
        metrics.record(metricName(path), outcome, System.nanoTime() - start);
    }

    private void readingBody(InetSocketAddress peer) {
        if (peer != null) {
            connections.readingBody(peer);
        }
    }

    private void processing(InetSocketAddress peer) {
        if (peer != null) {
            connections.processing(peer);
        }
    }

    /** A bounded name for the metrics: the endpoint's path, or "other" for anything else. */
    private String metricName(String path) {
        if (path.startsWith(prefix)) {
            Endpoint endpoint = Endpoint.fromPath(path.substring(prefix.length()));
            if (endpoint != null) {
                return endpoint.path();
            }
        }
        if (index.handles(path)) {
            return "/";
        }
        return health.handles(path) || RequestMetrics.PATH.equals(path) ? path : "other";
    }

    /** The endpoint {@code path} names under {@code prefix}; {@code NOT_FOUND} for any other path. */
    static Endpoint endpointOf(String prefix, String path) throws ProtocolException {
        if (path.startsWith(prefix)) {
            Endpoint endpoint = Endpoint.fromPath(path.substring(prefix.length()));
            if (endpoint != null) {
                return endpoint;
            }
        }
        throw new ProtocolException(ErrorCode.NOT_FOUND);
    }
}
