package io.leopard.server.web;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.query.QueryOutcome;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error mapping of the routing: every exception a service throws becomes the protocol's
 * JSON failure, never Helidon's plain-text page, a stack trace or a 500.
 */
final class ErrorAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorAnswers.class);
    private final QueryPipeline pipeline;

    ErrorAnswers(QueryPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * An HTTP-level failure (404, 405, 413, 415, 400) or a body that is no flat form or JSON:
     * charged to the client's address like the pipeline's own failures, so an address over its
     * failure rate is told only {@code FREQUENCY_LIMITED}.
     */
    void protocolFailure(ServerRequest req, ServerResponse res, ProtocolException e) {
        if (e.code() == ErrorCode.BAD_REQUEST || e.code() == ErrorCode.BODY_TOO_LARGE) {
            // what follows on the connection cannot be trusted to be the next request
            res.header(HeaderValues.CONNECTION_CLOSE);
        }
        Exchange exchange = Exchange.of(req);
        QueryOutcome.Refused refused = pipeline.refuse(e, exchange.client());
        exchange.refused(refused);
        Replies.failure(req, res, refused.code(), refused.message());
    }

    /** The database failed or its breaker is open: {@code SYSTEM_ERROR}, which a merchant retries. */
    void storeFailure(ServerRequest req, ServerResponse res, StoreException e) {
        Exchange exchange = Exchange.of(req);
        if (e.isShortCircuited()) {
            // answered in microseconds, so possibly thousands a second: the breaker logged the
            // outage once when it opened, and the access log still has every request
            LOG.debug("requestId={} {}", exchange.requestId(), e.getMessage());
        } else {
            LOG.warn("requestId={} database unavailable: {}", exchange.requestId(), e.getMessage());
        }
        systemError(req, exchange, res);
    }

    /**
     * A bug: logged with its stack trace here, answered {@code SYSTEM_ERROR} there. (Helidon calls
     * no error handler once an answer has gone out: it closes the connection instead.)
     */
    void unexpected(ServerRequest req, ServerResponse res, RuntimeException e) {
        Exchange exchange = Exchange.of(req);
        LOG.error("requestId={} unexpected failure", exchange.requestId(), e);
        systemError(req, exchange, res);
    }

    private static void systemError(ServerRequest req, Exchange exchange, ServerResponse res) {
        exchange.outcome(ErrorCode.SYSTEM_ERROR.name(), ErrorCode.SYSTEM_ERROR.httpStatus());
        Replies.failure(req, res, ErrorCode.SYSTEM_ERROR, ErrorCode.SYSTEM_ERROR.message());
    }
}
