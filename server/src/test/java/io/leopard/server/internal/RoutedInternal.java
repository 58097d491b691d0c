package io.leopard.server.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.Settings;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.access.RateLimits;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.TestChannels;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.query.QueryService;
import io.leopard.server.store.Database;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.web.Health;
import io.leopard.server.web.MerchantRoutes;
import io.leopard.server.web.RequestMetrics;
import io.leopard.server.web.connection.ConnectionEvents;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The internal routing table in memory: the real {@link InternalRoutes} with every internal service
 * ({@link InternalServices}, with the {@link TestChannels} stand-ins for the channel adapters) over
 * the demo fixture on a fresh embedded database, beside the merchant
 * routing table on the same database (so that a test writes internally and reads as a merchant
 * would), both asked through Helidon's {@link DirectClient}. The merchant directory refreshes only
 * once an hour by itself, so a change seen at once was applied by the endpoint.
 */
final class RoutedInternal implements AutoCloseable {
    static final String TOKEN = "routed-internal-token-0123456789";
    /** The body limit of {@link #RoutedInternal()}, small enough to reach in a test. */
    static final int MAX_BODY = 4096;

    final Settings settings;
    final Database database;
    final MerchantDirectory directory;
    /** The channel accounts the endpoints administer, with {@link TestChannels}. */
    final ChannelAccounts accounts;
    private final RequestMetrics metrics = new RequestMetrics();
    private final DirectClient client;
    private final DirectClient merchantClient;

    /** An answer: status, headers (names in any case), body (empty when none). */
    record Reply(int status, Map<String, String> headers, String body) {
    }

    /** With {@code internal.max-body-bytes} at {@link #MAX_BODY}. */
    RoutedInternal() {
        this(Map.of("internal.max-body-bytes", Integer.toString(MAX_BODY)));
    }

    private RoutedInternal(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("internal.tokens", TOKEN);
        all.putIfAbsent("merchant-refresh", "1h");
        this.settings = LiveLeopard.seeded(all).settings();
        this.database = Database.open(settings.database());
        this.directory = Merchants.directory(settings.keys(), database);
        OrderWrites writes = new OrderWrites(database, settings.query().zone(), Clock.systemUTC(), metrics.registry());
        Health health = new Health(() -> true);
        ClientAddresses clients = new ClientAddresses(List.of());
        HttpRouting.Builder internal = HttpRouting.builder();
        this.accounts = new ChannelAccounts(database, KeyCipher.of(settings.keys()), TestChannels.create(), Clock.systemUTC());
        new InternalRoutes(settings.internal(), InternalServices.of(settings.internal(), settings.query().zone(), settings.keys(),
                database, writes, directory, accounts), health, metrics, clients).routing(internal, ConnectionEvents.NONE);
        QueryService queries = new QueryService(directory, new OrderStore(database), settings.query().zone(), Clock.systemUTC());
        QueryPipeline pipeline = new QueryPipeline(queries, new RateLimits(settings.rates(), System::nanoTime), settings.query().maxBatch());
        HttpRouting.Builder merchant = HttpRouting.builder();
        new MerchantRoutes(settings.web(), pipeline, health, metrics, clients).routing(merchant, ConnectionEvents.NONE);
        this.client = new DirectClient(internal).clientHost("127.0.0.1");
        this.merchantClient = new DirectClient(merchant).clientHost("127.0.0.1");
    }

    /** With the default body limit (1 MiB), and {@code overrides} of the configuration. */
    static RoutedInternal start(Map<String, String> overrides) {
        return new RoutedInternal(overrides);
    }

    static RoutedInternal start() {
        return start(Map.of());
    }

    /** {@code method path} (under {@link InternalRoutes#BASE} unless it starts with {@code /internal/} or is a root page) with the token and a JSON body (or none when {@code null}). */
    Reply call(String method, String path, String json) {
        return call(method, path, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8), "Bearer " + TOKEN);
    }

    /** As it is sent: {@code authorization} may be {@code null} (no header), and {@code contentType} is sent only with a body. */
    Reply call(String method, String path, String contentType, byte[] body, String authorization) {
        Map<String, String> headers = new HashMap<>();
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (contentType != null && body != null) {
            headers.put("Content-Type", contentType);
        }
        return send(method, path, body, headers);
    }

    /** {@code method path} with exactly {@code headers} and {@code body} (none when {@code null}). */
    Reply call(String method, String path, String body, Map<String, String> headers) {
        return send(method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private Reply send(String method, String path, byte[] body, Map<String, String> headers) {
        String full = path.startsWith("/internal/") || !path.startsWith("/merchants") && !path.startsWith("/orders")
                ? path : InternalRoutes.BASE + path;
        int q = full.indexOf('?');
        Http1ClientRequest req = client.method(Method.create(method)).skipUriEncoding(true).uri(q < 0 ? full : full.substring(0, q));
        if (q >= 0) {
            for (String pair : full.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                req.queryParam(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        headers.forEach((name, value) -> req.header(HeaderNames.create(name), value));
        try (Http1ClientResponse res = body == null ? req.request() : req.submit(body)) {
            return reply(res);
        }
    }

    /** A signed merchant query (MD5) to {@code path} of the merchant routing. */
    Reply query(String path, Map<String, String> params, String key) throws Exception {
        Map<String, String> signed = new TreeMap<>(params);
        signed.put("sign", IndependentVerifier.sign(params, key, "MD5"));
        Http1ClientRequest req = merchantClient.method(Method.POST).uri(path)
                .header(HeaderNames.CONTENT_TYPE, "application/x-www-form-urlencoded");
        try (Http1ClientResponse res = req.submit(LiveLeopard.form(signed).getBytes(StandardCharsets.UTF_8))) {
            return reply(res);
        }
    }

    private static Reply reply(Http1ClientResponse res) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        res.headers().forEach(h -> headers.put(h.name(), h.get()));
        String text = res.entity().hasEntity() ? new String(res.entity().as(byte[].class), StandardCharsets.UTF_8) : "";
        return new Reply(res.status().code(), headers, text);
    }

    /** The metrics as /metrics shows them. */
    String scrape() {
        return ((PrometheusMeterRegistry) metrics.registry()).scrape();
    }

    @Override
    public void close() {
        client.close();
        merchantClient.close();
        directory.close();
        database.close();
    }
}
