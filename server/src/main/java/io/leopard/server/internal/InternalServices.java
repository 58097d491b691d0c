package io.leopard.server.internal;

import io.helidon.webserver.http.HttpService;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.merchant.MerchantChanges;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.notify.NotifyLog;
import io.leopard.server.store.Database;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;

/** The services of the internal listener, each mounted under {@link InternalRoutes#BASE}: one list for the server and the routing tests. */
public final class InternalServices {
    private InternalServices() {
    }

    /**
     * @param zone      the platform zone (times of orders and import files)
     * @param merchants the running merchant cache, refreshed at once after each administration change
     * @param accounts  the merchants' channel accounts, the same the server syncs orders with (so a change applies at once)
     */
    public static List<HttpService> of(InternalSettings internal, ZoneId zone, KeySettings keys, Database database,
                                       OrderWrites writes, MerchantDirectory merchants, ChannelAccounts accounts) {
        return of(internal, zone, keys, database, writes, merchants, accounts, MerchantChanges.NONE);
    }

    /** @param changes told of each merchant change, so that the other nodes of a cluster reload at once */
    public static List<HttpService> of(InternalSettings internal, ZoneId zone, KeySettings keys, Database database,
                                       OrderWrites writes, MerchantDirectory merchants, ChannelAccounts accounts,
                                       MerchantChanges changes) {
        MerchantStore store = Merchants.store(keys, database, changes);
        return List.of(
                new OrderWriteEndpoints(writes, internal.maxBodyBytes(), zone),
                new MerchantAdminEndpoints(store, merchants, accounts, internal.maxBodyBytes()),
                new MerchantChannelEndpoints(store, accounts, internal.maxBodyBytes()),
                new MerchantNotifyEndpoints(store, internal.maxBodyBytes()),
                new NotificationEndpoints(new NotifyLog(database), store, Clock.systemUTC(), internal.maxBodyBytes()),
                new OrderImportEndpoint(new OrderImporter(new OrderStore(database), zone)));
    }
}
