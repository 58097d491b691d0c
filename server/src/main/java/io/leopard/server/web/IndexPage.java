package io.leopard.server.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.Endpoint;
import io.leopard.server.query.JsonWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /}: an unsigned index for whoever opens the base URL in a browser or with curl — what
 * this is, where the endpoints are (with the path prefix) and where the wire contract is. The root
 * only: the prefix alone stays a 404, as any other path no service serves.
 */
final class IndexPage implements Endpoints {
    static final String PATH = "/";
    private final byte[] body;

    IndexPage(String prefix, boolean playground) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("service", "Leopard order query service");
        for (Endpoint e : Endpoint.values()) {
            fields.put(e.name().toLowerCase(Locale.ROOT), "POST " + prefix + e.path());
        }
        fields.put("health", "GET " + Health.LIVE);
        fields.put("ready", "GET " + Health.READY);
        fields.put("openapi", "GET " + StaticPages.OPENAPI);
        fields.put("docs", "GET " + StaticPages.DOCS);
        if (playground) {
            fields.put("playground", "GET " + StaticPages.PLAYGROUND);
        }
        fields.put("protocol", "docs/PROTOCOL.md in the Leopard repository: parameters, signature, error codes");
        this.body = JsonWriter.object(fields);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(PATH, this::index).head(PATH, this::index);
    }

    @Override
    public Map<String, Allowed> paths() {
        return Map.of(PATH, Allowed.GET_HEAD);
    }

    private void index(ServerRequest req, ServerResponse res) {
        Exchange exchange = Exchange.of(req);
        exchange.processing();
        exchange.metricName(PATH);
        Replies.send(req, res, 200, body);
    }
}
