package io.leopard.server.http;

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
import io.leopard.server.merchant.Merchant;
import io.leopard.server.query.Answer;
import io.leopard.server.query.JsonWriter;
import io.leopard.server.query.QueryService;
import io.leopard.server.system.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.OptionalLong;
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

    private final String prefix;
    private final int maxBodyBytes;
    private final int maxBatch;
    private final QueryService queries;
    private final Health health;
    private final RequestIds requestIds = new RequestIds();

    QueryHandler(String prefix, int maxBodyBytes, int maxBatch, QueryService queries, Health health) {
        this.prefix = prefix;
        this.maxBodyBytes = maxBodyBytes;
        this.maxBatch = maxBatch;
        this.queries = queries;
        this.health = health;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        long start = System.nanoTime();
        String requestId = requestIds.next(req.headers().first(X_REQUEST_ID).orElse(null));
        res.header(X_REQUEST_ID, requestId);
        String method = req.prologue().method().text();
        String path = req.path().rawPath();
        String mid = null;
        String outcome;
        int status = 200;
        try {
            if (health.handles(path)) {
                status = health.answer(path, req.prologue().method(), res);
                outcome = status == 200 ? "OK" : status == 405 ? ErrorCode.METHOD_NOT_ALLOWED.name() : "NOT_READY";
            } else {
                Endpoint endpoint = endpointOf(path);
                if (req.prologue().method() != Method.POST) {
                    res.header(Replies.ALLOW_POST);
                    throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED);
                }
                byte[] body = readBody(req);
                MediaType type = MediaType.parse(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
                Map<String, String> params = BodyParser.parse(body, type);
                String named = params.get("mid");
                mid = ParamRules.isMid(named) ? named : null;
                QueryRequest request = QueryRequest.parse(endpoint, params, maxBatch);
                Merchant merchant = queries.admit(request);
                Answer answer = queries.answer(merchant, request);
                Replies.send(res, 200, JsonWriter.object(answer.fields()));
                outcome = answer.resultCode();
            }
        } catch (ProtocolException e) {
            outcome = e.code().name();
            status = e.code().httpStatus();
            if (e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.BODY_TOO_LARGE) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
            Replies.failure(res, e.code(), e.getMessage());
        } catch (StoreException e) {
            outcome = ErrorCode.SYSTEM_ERROR.name();
            LOG.warn("requestId={} database unavailable: {}", requestId, e.getMessage());
            Replies.failure(res, ErrorCode.SYSTEM_ERROR, ErrorCode.SYSTEM_ERROR.message());
        } catch (RuntimeException e) {
            outcome = ErrorCode.SYSTEM_ERROR.name();
            LOG.error("requestId={} unexpected failure", requestId, e);
            if (!res.isSent()) {
                Replies.failure(res, ErrorCode.SYSTEM_ERROR, ErrorCode.SYSTEM_ERROR.message());
            }
        }
        AccessLog.record(method, path, mid, outcome, status, start, requestId);
    }

    private Endpoint endpointOf(String path) throws ProtocolException {
        if (path.startsWith(prefix)) {
            Endpoint endpoint = Endpoint.fromPath(path.substring(prefix.length()));
            if (endpoint != null) {
                return endpoint;
            }
        }
        throw new ProtocolException(ErrorCode.NOT_FOUND);
    }

    /**
     * Reads at most {@code maxBodyBytes}; a declared or actual size beyond it is
     * {@code BODY_TOO_LARGE} without reading the rest.
     */
    private byte[] readBody(ServerRequest req) throws ProtocolException {
        OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw new ProtocolException(ErrorCode.BODY_TOO_LARGE, ErrorCode.BODY_TOO_LARGE.message()
                    + ": at most " + maxBodyBytes + " bytes");
        }
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        byte[] buf = new byte[(int) Math.min(maxBodyBytes + 1L, declared.orElse(1024) + 1)];
        int n = 0;
        try (InputStream in = req.content().inputStream()) {
            int r;
            while ((r = in.read(buf, n, buf.length - n)) > 0) {
                n += r;
                if (n == buf.length) {
                    if (n > maxBodyBytes) {
                        throw new ProtocolException(ErrorCode.BODY_TOO_LARGE, ErrorCode.BODY_TOO_LARGE.message()
                                + ": at most " + maxBodyBytes + " bytes");
                    }
                    buf = Arrays.copyOf(buf, Math.min(maxBodyBytes + 1, buf.length * 2));
                }
            }
        } catch (IOException | RuntimeException e) {
            // broken chunked framing or a body shorter than its Content-Length: the HTTP request
            // itself is malformed, and the connection cannot be trusted for another request
            throw new ProtocolException(ErrorCode.BAD_REQUEST);
        }
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }
}
