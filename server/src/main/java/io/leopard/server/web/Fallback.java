package io.leopard.server.web;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import java.util.HashMap;
import java.util.Map;

/**
 * What no service took: {@code METHOD_NOT_ALLOWED} on a path some service serves with other
 * methods, {@code NOT_FOUND} elsewhere; the path is checked first, as in PROTOCOL §4.1. Both are
 * thrown for {@link ErrorAnswers}, which answers and charges them like every protocol failure.
 */
final class Fallback implements Handler {
    /** A path some service serves: its methods, and the name the metrics count it under (the path without the prefix). */
    private record Known(Allowed allowed, String metricName) {
    }

    private final Map<String, Known> known = new HashMap<>();

    /** Learns the paths of {@code service}, registered under {@code prefix} ("" for the root). */
    Fallback serving(String prefix, Endpoints service) {
        service.paths().forEach((path, allowed) -> known.put(prefix + path, new Known(allowed, path)));
        return this;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) throws ProtocolException {
        Known path = known.get(req.path().rawPath());
        if (path == null) {
            throw new ProtocolException(ErrorCode.NOT_FOUND);
        }
        Exchange.of(req).metricName(path.metricName());
        res.header(path.allowed().header());
        throw new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, path.allowed().message());
    }
}
