package io.leopard.server.internal;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.Settings;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.access.RateLimits;
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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The internal routing table in memory over the demo fixture on a fresh embedded database, beside
 * the merchant routing table on the same database (so a test writes an order internally and reads
 * it as a merchant would), both asked through Helidon's {@link DirectClient}.
 */
public final class RoutedInternal implements AutoCloseable {
    /** The token the internal routing accepts. */
    public static final String TOKEN = "test-internal-token-0123456789";

    final Settings settings;
    final Database database;
    final MerchantDirectory merchants;
    final OrderWrites writes;
    final RequestMetrics metrics = new RequestMetrics();
    private final HttpRouting.Builder internal = HttpRouting.builder();
    private final HttpRouting.Builder merchant = HttpRouting.builder();
    private final DirectClient internalClient;
    private final DirectClient merchantClient;

    /** An answer: status, the headers asked for by name, body. */
    public record Reply(int status, Map<String, String> headers, String body) {
    }

    private RoutedInternal(Settings settings, Function<RoutedInternal, List<HttpService>> extraServices) {
        this.settings = settings;
        this.database = Database.open(settings.database());
        this.merchants = Merchants.directory(settings.keys(), database);
        this.writes = new OrderWrites(database, settings.query().zone(), Clock.systemUTC(), metrics.registry());
        Health health = new Health(() -> true);
        ClientAddresses clients = new ClientAddresses(List.of());
        List<HttpService> services = new java.util.ArrayList<>();
        services.add(new OrderWriteEndpoints(writes, settings.internal().maxBodyBytes(), settings.query().zone()));
        services.addAll(extraServices.apply(this));
        new InternalRoutes(settings.internal(), services, health, metrics, clients).routing(internal, ConnectionEvents.NONE);
        QueryService queries = new QueryService(merchants, new OrderStore(database), settings.query().zone(), Clock.systemUTC());
        QueryPipeline pipeline = new QueryPipeline(queries, new RateLimits(settings.rates(), System::nanoTime), settings.query().maxBatch());
        new MerchantRoutes(settings.web(), pipeline, health, metrics, clients).routing(merchant, ConnectionEvents.NONE);
        this.internalClient = new DirectClient(internal).clientHost("127.0.0.1");
        this.merchantClient = new DirectClient(merchant).clientHost("127.0.0.1");
    }

    /** The demo fixture with the internal listener's order endpoints (and {@code extraServices}). */
    public static RoutedInternal start(Map<String, String> overrides, Function<RoutedInternal, List<HttpService>> extraServices)
            throws IOException {
        Map<String, String> all = new HashMap<>(overrides);
        all.putIfAbsent("internal.tokens", TOKEN);
        return new RoutedInternal(LiveLeopard.seeded(all).settings(), extraServices);
    }

    public static RoutedInternal start() throws IOException {
        return start(Map.of(), r -> List.of());
    }

    /** {@code method} on {@code path} of the internal routing with the token, a JSON body (or none when null). */
    public Reply call(String method, String path, String json) {
        return call(method, path, json, Map.of("Authorization", "Bearer " + TOKEN, "Content-Type", "application/json"));
    }

    /** As {@link #call(String, String, String)} with exactly {@code headers}. */
    public Reply call(String method, String path, String body, Map<String, String> headers) {
        Http1ClientRequest req = internalClient.method(Method.create(method)).skipUriEncoding(true).uri(path);
        headers.forEach((name, value) -> req.header(HeaderNames.create(name), value));
        try (Http1ClientResponse res = body == null ? req.request() : req.submit(body.getBytes(StandardCharsets.UTF_8))) {
            return reply(res);
        }
    }

    /** A signed merchant query (MD5) to {@code path} of the merchant routing. */
    public Reply query(String path, Map<String, String> params, String key) throws Exception {
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
        return new Reply(res.status().code(), headers, res.as(String.class));
    }

    /** The metrics as /metrics would show them. */
    public String scrape() {
        return new String(metrics.registry() instanceof io.micrometer.prometheusmetrics.PrometheusMeterRegistry p
                ? p.scrape().getBytes(StandardCharsets.UTF_8) : new byte[0], StandardCharsets.UTF_8);
    }

    public Database database() {
        return database;
    }

    public MerchantDirectory merchants() {
        return merchants;
    }

    @Override
    public void close() {
        merchants.close();
        database.close();
    }
}
