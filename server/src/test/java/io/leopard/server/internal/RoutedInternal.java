package io.leopard.server.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.Settings;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.store.Database;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.web.Health;
import io.leopard.server.web.RequestMetrics;
import io.leopard.server.web.connection.ConnectionEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The internal routing table in memory: the real {@link InternalRoutes} with the administration
 * services over the demo fixture on a fresh embedded database, asked through Helidon's
 * {@link DirectClient}. The merchant directory refreshes only once an hour by itself, so a change
 * seen at once was applied by the endpoint.
 */
final class RoutedInternal implements AutoCloseable {
    static final String TOKEN = "routed-internal-token-0123456789";
    static final int MAX_BODY = 4096;

    final Settings settings;
    final Database database;
    final MerchantDirectory directory;
    private final DirectClient client;

    RoutedInternal() {
        this.settings = LiveLeopard.seeded(Map.of("merchant-refresh", "1h")).settings();
        this.database = Database.open(settings.database());
        this.directory = Merchants.directory(settings.keys(), database);
        MerchantStore store = Merchants.store(settings.keys(), database);
        InternalSettings internal = new InternalSettings("127.0.0.1", 0, List.of(TOKEN), null, MAX_BODY);
        InternalRoutes routes = new InternalRoutes(internal, List.of(
                new MerchantAdminEndpoints(store, directory, MAX_BODY),
                new OrderImportEndpoint(new OrderImporter(new OrderStore(database), settings.query().zone()))),
                new Health(() -> true), new RequestMetrics(), new ClientAddresses(List.of()));
        HttpRouting.Builder routing = HttpRouting.builder();
        routes.routing(routing, ConnectionEvents.NONE);
        this.client = new DirectClient(routing).clientHost("127.0.0.1");
    }

    record Answer(int status, String body) {
    }

    /** {@code method path} with the right token and a JSON body (or none when {@code null}). */
    Answer call(String method, String path, String json) {
        return call(method, path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8),
                "Bearer " + TOKEN);
    }

    /** As it is sent: {@code authorization} may be {@code null} (no header). */
    Answer call(String method, String path, String contentType, byte[] body, String authorization) {
        int q = path.indexOf('?');
        Http1ClientRequest req = client.method(Method.create(method)).uri(InternalRoutes.BASE + (q < 0 ? path : path.substring(0, q)));
        if (q >= 0) {
            for (String pair : path.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                req.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        if (authorization != null) {
            req.header(HeaderNames.AUTHORIZATION, authorization);
        }
        if (contentType != null && body != null) {
            req.header(HeaderNames.CONTENT_TYPE, contentType);
        }
        try (Http1ClientResponse res = body == null ? req.request() : req.submit(body)) {
            String text = res.entity().hasEntity() ? new String(res.entity().as(byte[].class), StandardCharsets.UTF_8) : "";
            return new Answer(res.status().code(), text);
        }
    }

    @Override
    public void close() {
        client.close();
        directory.close();
        database.close();
    }
}
