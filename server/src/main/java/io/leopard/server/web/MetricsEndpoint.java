package io.leopard.server.web;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;

/** {@code GET /metrics}: the {@link RequestMetrics} in Prometheus text. */
final class MetricsEndpoint implements Endpoints {
    static final String PATH = "/metrics";
    private static final Header PROMETHEUS_TEXT =
            HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");

    private final RequestMetrics metrics;

    MetricsEndpoint(RequestMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::scrape).head(PATH, this::scrape);
    }

    @Override
    public Map<String, Allowed> paths() {
        return Map.of(PATH, Allowed.GET_HEAD);
    }

    private void scrape(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchange.of(req);
        exchange.processing();
        exchange.metricName(PATH);
        res.header(PROMETHEUS_TEXT);
        byte[] scrape = metrics.scrape();
        if (req.prologue().method() == Method.HEAD) {
            res.header(HeaderValues.create(HeaderNames.CONTENT_LENGTH, scrape.length));
            res.send(); // GET's headers, its length included, and no body
        } else {
            res.send(scrape);
        }
    }
}
