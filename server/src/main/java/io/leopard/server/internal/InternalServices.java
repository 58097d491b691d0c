package io.leopard.server.internal;

import io.helidon.webserver.http.HttpService;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.store.Database;
import java.time.ZoneId;
import java.util.List;

/** The services of the internal listener, each mounted under {@link InternalRoutes#BASE}: one list for the server and the routing tests. */
public final class InternalServices {
    private InternalServices() {
    }

    /**
     * @param zone      the platform zone (times of orders and import files)
     * @param merchants the running merchant cache, refreshed at once after each administration change
     */
    public static List<HttpService> of(InternalSettings internal, ZoneId zone, KeySettings keys, Database database,
                                       OrderWrites writes, MerchantDirectory merchants) {
        return List.of(
                new OrderWriteEndpoints(writes, internal.maxBodyBytes(), zone),
                new MerchantAdminEndpoints(Merchants.store(keys, database), merchants, internal.maxBodyBytes()),
                new OrderImportEndpoint(new OrderImporter(new OrderStore(database), zone)));
    }
}
