package io.leopard.server.web;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;

/**
 * Paths are served only as written. Helidon routes on a normalized path, so {@code /query//single},
 * {@code /query/./single}, {@code /query/single;x=1} and percent-escaped letters would all reach
 * {@code /query/single}; the protocol's paths have none of those, and a request that spells one
 * differently is {@code NOT_FOUND}, as it always was. The path is the first of the protocol's
 * checks (PROTOCOL §4.1), so this runs before routing.
 */
final class CanonicalPaths implements Filter {
    private final ErrorAnswers errors;

    CanonicalPaths(ErrorAnswers errors) {
        this.errors = errors;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.path().rawPath().equals(req.path().path())) {
            chain.proceed();
        } else {
            errors.protocolFailure(req, res, new ProtocolException(ErrorCode.NOT_FOUND));
        }
    }
}
