package io.leopard.server.testing;

import io.leopard.server.LeopardServer;
import io.leopard.server.Settings;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.demo.DemoSeeder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A real Leopard in this JVM, on 127.0.0.1 and a random port, on a fresh embedded database holding
 * the demo fixture (the merchants of {@link DemoFixture}, the orders of its class path resource),
 * with an HTTP client to talk to it. The one harness of the server's end-to-end tests, the SDK's
 * live tests and the demo's; the server tests' {@link LaunchedLeopard} runs a real process instead.
 * Other modules get it from the server's test-jar (see server/pom.xml).
 */
public final class LiveLeopard implements AutoCloseable {
    /** The demo merchant ...456 and its published key. */
    public static final String MID = DemoFixture.MID;
    public static final String KEY = DemoFixture.KEY;
    /** The second enabled demo merchant, sharing the order number {@link #PAID} with ...456. */
    public static final String MID2 = DemoFixture.OTHER_MID;
    public static final String KEY2 = DemoFixture.OTHER_KEY;
    /** The disabled demo merchant. */
    public static final String MID_DISABLED = DemoFixture.DISABLED_MID;
    public static final String KEY_DISABLED = DemoFixture.DISABLED_KEY;

    /** Demo orders of ...456 (see server/src/main/resources/demo/demo-fixture.csv). */
    public static final String PAID = "M201611101010100002";
    public static final String INIT = "M201611101010100011";
    /** An order of ...457 only. */
    public static final String OTHER_MERCHANTS = "X201611101050000001";
    public static final String CARD_PAID = "B201611101030000001";
    public static final String CARD_PENDING = "B201611101030000002";
    public static final String CARD_REVOKED = "B201611101030000003";

    /** Rate limits raised so far that a whole test class can run against one server. */
    public static final Map<String, String> NO_RATE_LIMITS = Map.of(
            "rate.per-second", "100000", "rate.burst", "100000",
            "rate.address-per-second", "100000", "rate.address-burst", "100000");

    public final LeopardServer server;
    public final Settings settings;
    public final HttpClient http;
    private final String baseUrl;

    private LiveLeopard(LeopardServer server, HttpClient http, String baseUrl) {
        this.server = server;
        this.settings = server.settings();
        this.http = http;
        this.baseUrl = baseUrl;
    }

    /** A seeded server with the configured rate limits, {@code overrides} on top of the demo configuration. */
    public static LiveLeopard start(Map<String, String> overrides) {
        return over(LeopardServer.start(seeded(overrides).settings()));
    }

    /** As {@link #start}, with {@link #NO_RATE_LIMITS} under {@code overrides}. */
    public static LiveLeopard startWithoutRateLimits(Map<String, String> overrides) {
        Map<String, String> all = new LinkedHashMap<>(NO_RATE_LIMITS);
        all.putAll(overrides);
        return start(all);
    }

    /**
     * A demo configuration (random port, 127.0.0.1, fresh data dir, master key in memory) with
     * {@code overrides} on top and the fixture loaded, for a test that starts the server itself.
     */
    public static LeopardConfig seeded(Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("leopard-live-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LeopardConfig config = DemoSeeder.demoConfig(LeopardConfig.of(Map.of()), dir)
                .with("port", "0").with("host", "127.0.0.1")
                .with(overrides);
        DemoSeeder.seed(config.settings());
        return config;
    }

    /** Plain HTTP to a running server; closing the result closes the server. */
    public static LiveLeopard over(LeopardServer server) {
        return new LiveLeopard(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), server.baseUrl());
    }

    /** HTTPS to a running server, with a client that trusts {@code tls}. */
    public static LiveLeopard overHttps(LeopardServer server, SSLContext tls) {
        return new LiveLeopard(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build(), server.httpsBaseUrl());
    }

    /** {@code http://127.0.0.1:PORT} (or https) plus the path prefix, if any. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Signs {@code params} independently (MD5 unless signType is given) and posts them as a form. */
    public HttpResponse<String> postSigned(String path, Map<String, String> params, String key) throws Exception {
        Map<String, String> signed = new TreeMap<>(params);
        signed.put("sign", IndependentVerifier.sign(params, key, params.getOrDefault("signType", "MD5")));
        return post(path, "application/x-www-form-urlencoded", form(signed));
    }

    public HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> send(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code params} as an {@code application/x-www-form-urlencoded} body. */
    public static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        server.close();
    }
}
