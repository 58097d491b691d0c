package io.leopard.server.web;

import io.leopard.server.access.CidrRange;
import io.leopard.server.web.connection.ConnectionLimits;
import java.util.List;

/**
 * What the merchant-facing listeners need: where they listen, the path prefix of the endpoints,
 * the request size limit, whose {@code X-Forwarded-For} is believed, and the connection limits.
 *
 * @param httpEnabled whether plain HTTP listens on {@code port}; with TLS alone it may be off
 * @param pathPrefix  the prefix of every endpoint, e.g. {@code /v2}; empty for none
 * @param tls         HTTPS, or {@code null} for none
 * @param playground  whether the signing playground is served at {@code /playground}
 */
public record WebSettings(String host, int port, boolean httpEnabled, String pathPrefix, int maxBodyBytes,
                          List<CidrRange> trustedProxies, ConnectionLimits connections, TlsSettings tls, boolean playground) {
    public WebSettings {
        trustedProxies = List.copyOf(trustedProxies);
    }
}
