package io.leopard.server.web;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.leopard.server.Settings;
import io.leopard.server.access.ClientAddresses;
import io.leopard.server.access.RateLimits;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.OrderStore;
import io.leopard.server.query.EventFeed;
import io.leopard.server.query.QueryPipeline;
import io.leopard.server.query.QueryService;
import io.leopard.server.store.Database;
import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.web.connection.ConnectionEvents;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;

/**
 * The merchant routing table in memory: the real {@link MerchantRoutes} over the demo fixture on
 * a fresh embedded database, asked through Helidon's {@link DirectClient}, with no socket. The
 * rate limits run on a clock the test moves ({@link #advanceNanos}); the readiness answer follows
 * {@link #databaseUp(boolean)} and {@link #drain()}.
 */
final class RoutedDemo implements AutoCloseable {
    final Settings settings;
    private final Database database;
    private final MerchantDirectory merchants;
    private final Health health;
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicBoolean databaseUp = new AtomicBoolean(true);
    private final HttpRouting.Builder routing = HttpRouting.builder();
    private final List<DirectClient> clients = new ArrayList<>();
    private final DirectClient client;

    private RoutedDemo(Settings settings) {
        this.settings = settings;
        this.database = Database.open(settings.database());
        this.merchants = Merchants.directory(settings.keys(), database);
        QueryService queries = new QueryService(merchants, new OrderStore(database), settings.query().zone(), Clock.systemUTC(),
                null, new EventFeed(database, settings.query().zone(), settings.query().eventsSettle(), Clock.systemUTC()));
        QueryPipeline pipeline = new QueryPipeline(queries, new RateLimits(settings.rates(), nanos::get), settings.query().maxBatch());
        this.health = new Health(databaseUp::get);
        new MerchantRoutes(settings.web(), pipeline, health, new RequestMetrics(), new ClientAddresses(settings.web().trustedProxies()))
                .routing(routing, ConnectionEvents.NONE);
        this.client = from("127.0.0.1");
    }

    /** The demo fixture, with {@code overrides} of the configuration. */
    static RoutedDemo start(Map<String, String> overrides) throws IOException {
        return new RoutedDemo(LiveLeopard.seeded(overrides).settings());
    }

    /** A client whose requests come from {@code address} (a literal IP). */
    DirectClient from(String address) {
        DirectClient c = new DirectClient(routing).clientHost(address);
        clients.add(c);
        return c;
    }

    /** The demo's merchants, to change a merchant as the CLI would; the routing sees it at once. */
    MerchantStore merchantStore() {
        return Merchants.store(settings.keys(), database);
    }

    void refreshMerchants() {
        merchants.refreshNow();
    }

    void advanceNanos(long n) {
        nanos.addAndGet(n);
    }

    void databaseUp(boolean up) {
        databaseUp.set(up);
    }

    void drain() {
        health.startDraining();
    }

    /** Closes the pool under the routing: every query then meets a database failure. */
    void breakDatabase() {
        database.close();
    }

    /**
     * The base URL, named as {@link LiveLeopard#baseUrl()} so that a test reads the same over either:
     * here only the path prefix (no scheme, host or port), so that {@code baseUrl() + path} is an
     * endpoint's path.
     */
    String baseUrl() {
        return settings.web().pathPrefix();
    }

    /** Signs {@code params} independently (MD5 unless signType is given) and posts them as a form to {@code path} under the prefix. */
    HttpResponse<String> postSigned(String path, Map<String, String> params, String key) throws Exception {
        return postSigned(client, path, params, key);
    }

    HttpResponse<String> postSigned(DirectClient from, String path, Map<String, String> params, String key) throws Exception {
        return postSigned(from, path, params, key, Map.of());
    }

    /** As {@link #postSigned(String, Map, String)}, from {@code from}, with {@code headers} (an X-Forwarded-For, say). */
    HttpResponse<String> postSigned(DirectClient from, String path, Map<String, String> params, String key, Map<String, String> headers)
            throws Exception {
        Map<String, String> signed = new TreeMap<>(params);
        signed.put("sign", IndependentVerifier.sign(params, key, params.getOrDefault("signType", "MD5")));
        return post(from, baseUrl() + path, "application/x-www-form-urlencoded", LiveLeopard.form(signed).getBytes(StandardCharsets.UTF_8),
                headers);
    }

    HttpResponse<String> post(String path, String contentType, String body) {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Posts to {@code path} under the prefix, as {@link LiveLeopard#post} does. */
    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return post(client, baseUrl() + path, contentType, body, Map.of());
    }

    /** Posts to {@code path} as written (no prefix added). */
    HttpResponse<String> post(DirectClient from, String path, String contentType, byte[] body, Map<String, String> headers) {
        // a path with escapes goes out as written; others as the client writes them (it would escape a %)
        Http1ClientRequest req = from.method(Method.POST).skipUriEncoding(path.contains("%")).uri(path);
        if (contentType != null) {
            req.header(io.helidon.http.HeaderNames.CONTENT_TYPE, contentType);
        }
        headers.forEach((name, value) -> req.header(io.helidon.http.HeaderNames.create(name), value));
        try (Http1ClientResponse res = req.submit(body)) {
            return Answer.of(path, res);
        }
    }

    /** {@code method} on {@code path} as written (no prefix added), with no body. */
    HttpResponse<String> send(String method, String path) {
        return send(method, path, Map.of());
    }

    HttpResponse<String> send(String method, String path, Map<String, String> headers) {
        Http1ClientRequest req = client.method(Method.create(method)).skipUriEncoding(path.contains("%")).uri(path);
        headers.forEach((name, value) -> req.header(io.helidon.http.HeaderNames.create(name), value));
        try (Http1ClientResponse res = req.request()) {
            return method.equals("HEAD") ? Answer.headersOf(path, res) : Answer.of(path, res);
        }
    }

    /**
     * {@code GET /metrics} once it shows every one of {@code series}: a request is counted after
     * its answer has gone out, on the server's thread, so the client may have read the answer
     * first (5 s at most; then the last scrape, for the test to report).
     */
    String metricsShowing(String... series) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String scrape = send("GET", "/metrics").body();
            if (java.util.Arrays.stream(series).allMatch(scrape::contains) || System.nanoTime() > end) {
                return scrape;
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        clients.forEach(DirectClient::close);
        merchants.close();
        database.close();
    }

    /** A routed answer, read whole, as the JDK's HttpResponse the end-to-end tests also use. */
    record Answer(int statusCode, String body, HttpHeaders headers, URI uri) implements HttpResponse<String> {
        static Answer of(String path, Http1ClientResponse res) {
            String body = res.entity().hasEntity() ? new String(res.entity().as(byte[].class), StandardCharsets.UTF_8) : "";
            return new Answer(res.status().code(), body, headers(res), URI.create("direct:" + path));
        }

        /** The answer to HEAD: its Content-Length is GET's, and no body follows to be read. */
        static Answer headersOf(String path, Http1ClientResponse res) {
            return new Answer(res.status().code(), "", headers(res), URI.create("direct:" + path));
        }

        private static HttpHeaders headers(Http1ClientResponse res) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            res.headers().forEach(h -> headers.put(h.name(), h.allValues()));
            return HttpHeaders.of(headers, (n, v) -> true);
        }

        @Override
        public HttpRequest request() {
            return HttpRequest.newBuilder(URI.create("http://routed.invalid/")).build();
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
