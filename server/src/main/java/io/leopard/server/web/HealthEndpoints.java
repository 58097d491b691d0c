package io.leopard.server.web;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /healthz} (the process answers, and every listener answers its self-probe) and
 * {@code GET /readyz} (that, the database answers and the node is not draining), 200 or 503.
 * Both sit at the root, outside the path prefix, where load balancers look.
 */
public final class HealthEndpoints implements Endpoints {
    private static final byte[] UP = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOWN = "{\"status\":\"DOWN\"}".getBytes(StandardCharsets.UTF_8);

    private final Health health;

    public HealthEndpoints(Health health) {
        this.health = health;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(Health.LIVE, this::live).head(Health.LIVE, this::live)
                .get(Health.READY, this::ready).head(Health.READY, this::ready);
    }

    @Override
    public Map<String, Allowed> paths() {
        return Map.of(Health.LIVE, Allowed.GET_HEAD, Health.READY, Allowed.GET_HEAD);
    }

    private void live(ServerRequest req, ServerResponse res) {
        boolean up = health.live();
        answer(req, res, Health.LIVE, up, up ? UP : DOWN);
    }

    private void ready(ServerRequest req, ServerResponse res) {
        boolean up = health.ready();
        Map<String, Boolean> components = health.shownComponents();
        if (components.isEmpty()) {
            answer(req, res, Health.READY, up, up ? UP : DOWN);
            return;
        }
        StringBuilder body = new StringBuilder("{\"status\":\"").append(up ? "UP" : "DOWN").append('"');
        components.forEach((name, componentUp) -> body.append(",\"").append(name).append("\":\"")
                .append(componentUp ? "UP" : "DOWN").append('"'));
        answer(req, res, Health.READY, up, body.append('}').toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void answer(ServerRequest req, ServerResponse res, String path, boolean up, byte[] body) {
        Exchange exchange = Exchange.of(req);
        exchange.processing();
        exchange.metricName(path);
        if (ListenerProbe.isProbe(req.headers())) {
            exchange.unrecorded(); // the node asking itself every few seconds: neither logged nor counted
        }
        int status = up ? 200 : 503;
        exchange.outcome(up ? "OK" : "NOT_READY", status);
        Replies.send(req, res, status, body);
    }
}
