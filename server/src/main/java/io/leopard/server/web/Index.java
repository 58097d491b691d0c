package io.leopard.server.web;

import io.leopard.protocol.Endpoint;
import io.leopard.server.query.JsonWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /}: an unsigned index for whoever opens the base URL in a browser or with curl — what
 * this is, where the endpoints are (with the path prefix) and where the wire contract is.
 */
final class Index {
    private final byte[] body;

    Index(String prefix) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("service", "Leopard order query service");
        for (Endpoint e : Endpoint.values()) {
            fields.put(e.name().toLowerCase(java.util.Locale.ROOT), "POST " + prefix + e.path());
        }
        fields.put("health", "GET " + Health.LIVE);
        fields.put("ready", "GET " + Health.READY);
        fields.put("protocol", "docs/PROTOCOL.md in the Leopard repository: parameters, signature, error codes");
        this.body = JsonWriter.object(fields);
    }

    /** Whether {@code path} is the index: the root only (the prefix alone stays a 404, as any other non-endpoint). */
    boolean handles(String path) {
        return "/".equals(path);
    }

    byte[] body() {
        return body;
    }
}
