package io.leopard.server.http;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.query.Answer;
import io.leopard.server.query.JsonWriter;
import io.leopard.server.query.QueryService;
import io.leopard.server.system.CidrRange;
import io.leopard.server.system.StoreException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request passes here, so the checks run in the protocol's order: path (404), method
 * (405), size (413), media type (415), then body and parameters, sign type, merchant,
 * signature. Each outcome is answered once and logged once.
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
    private final int maxBatch;
    private final QueryService queries;
    private final Health health;
    private final ClientAddresses clientAddresses;
    private final RateLimits rateLimits;
    private final RequestIds requestIds = new RequestIds();
    private final RequestMetrics metrics = new RequestMetrics();
    /** Told when each request's handling starts, and when it carried a correct signature. */
    private final ConnectionEvents connections;

    QueryHandler(LeopardConfig config, QueryService queries, Health health, ConnectionEvents connections) {
        this.connections = connections;
        this.prefix = config.pathPrefix();
        this.index = new Index(prefix);
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxBatch = config.maxBatch();
        this.queries = queries;
        this.health = health;
        this.clientAddresses = new ClientAddresses(CidrRange.parseList(config.trustedProxies()));
        this.rateLimits = new RateLimits(config, System::nanoTime);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        InetSocketAddress peer = req.remotePeer().address() instanceof InetSocketAddress isa ? isa : null;
        if (peer != null) {
            connections.processing(peer);
        }
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
                if (req.prologue().method() != Method.GET) {
                    res.header(Replies.ALLOW_GET);
                    throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, "仅支持GET请求");
                }
                res.header(PROMETHEUS_TEXT);
                res.send(metrics.scrape());
                outcome = "OK";
            } else if (health.handles(path)) {
                status = health.answer(path, req.prologue().method(), res);
                if (ListenerProbe.isProbe(req.headers())) {
                    return; // the node asking itself every few seconds: neither logged nor counted
                }
                outcome = status == 200 ? "OK" : status == 405 ? ErrorCode.METHOD_NOT_ALLOWED.name() : "NOT_READY";
            } else if (index.handles(path)) {
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
                byte[] body = BodyReader.read(req, maxBodyBytes);
                MediaType type = MediaType.parse(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
                Map<String, String> params = BodyParser.parse(body, type);
                String named = params.get("mid");
                mid = ParamRules.isMid(named) ? named : null;
                QueryRequest request = QueryRequest.parse(endpoint, params, maxBatch);
                Merchant merchant = queries.admit(request);
                if (!merchant.policy().allows(client)) {
                    throw new ProtocolException(ErrorCode.IP_FORBIDDEN);
                }
                String key = queries.verify(merchant, request);
                if (peer != null) {
                    connections.trusted(peer);
                }
                if (!rateLimits.tryMerchant(merchant)) {
                    throw new ProtocolException(ErrorCode.FREQUENCY_LIMITED);
                }
                Answer answer = queries.answer(request, key);
                Replies.send(res, 200, JsonWriter.object(answer.fields()));
                outcome = answer.resultCode();
            }
        } catch (ProtocolException e) {
            ErrorCode code = e.code();
            String message = e.getMessage();
            if (code == ErrorCode.BAD_REQUEST || code == ErrorCode.BODY_TOO_LARGE) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            // everything but FREQUENCY_LIMITED fails before a good signature: it costs the address,
            // not a merchant. An address over its failure rate is told only that, for protocol
            // failures (no more guessing mids or keys from the answers); HTTP-level ones keep their
            // status. A request that verifies is served whatever its address did before.
            if (code != ErrorCode.FREQUENCY_LIMITED && !rateLimits.chargeFailure(client) && code.httpStatus() == 200) {
                code = ErrorCode.FREQUENCY_LIMITED;
                message = code.message();
            }
            outcome = code.name();
            status = code.httpStatus();
            Replies.failure(res, code, message);
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
