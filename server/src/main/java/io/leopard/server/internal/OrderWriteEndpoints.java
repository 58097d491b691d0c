package io.leopard.server.internal;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.leopard.server.order.OrderWrites;
import java.time.ZoneId;

/**
 * {@code PUT /orders/{mid}/{orderNo}}, {@code POST /orders:batch} and {@code GET /orders/{mid}/{orderNo}}
 * under {@link InternalRoutes#BASE}: the platform's core writing orders while Leopard serves.
 */
public final class OrderWriteEndpoints implements HttpService {
    private final OrderWrites writes;
    private final int maxBodyBytes;
    private final ZoneId zone;

    public OrderWriteEndpoints(OrderWrites writes, int maxBodyBytes, ZoneId zone) {
        this.writes = writes;
        this.maxBodyBytes = maxBodyBytes;
        this.zone = zone;
    }

    @Override
    public void routing(HttpRules rules) {
        // TODO
    }
}
