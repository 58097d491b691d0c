package io.leopard.server.web;

import io.leopard.server.LeopardServer;
import io.leopard.server.Settings;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoSeeder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A real Leopard on a random port, on a fresh embedded database holding the demo fixture. */
final class LiveDemo implements AutoCloseable {
    static final String MID = "100000510983456";
    static final String KEY = "kx5hd8wq3mzt7rvn2cpb";
    static final String MID2 = "100000510983457";
    static final String KEY2 = "p4ne9gjv6ty2rq8sw3lc";
    static final String MID_DISABLED = "100000510983458";
    static final String KEY_DISABLED = "z7c2m9q4w8e3r6t1y5ub";

    final LeopardServer server;
    final Settings settings;
    final HttpClient http;
    private final String base;

    private LiveDemo(LeopardServer server, HttpClient http, String base) {
        this.server = server;
        this.settings = server.settings();
        this.http = http;
        this.base = base;
    }

    static LiveDemo start(Map<String, String> overrides) throws IOException {
        return over(LeopardServer.start(seeded(overrides).settings()));
    }

    /** A demo configuration (random port, 127.0.0.1, fresh data dir) with the fixture loaded. */
    static LeopardConfig seeded(Map<String, String> overrides) throws IOException {
        Path dir = Files.createTempDirectory("leopard-e2e-");
        LeopardConfig config = DemoSeeder.demoConfig(LeopardConfig.of(Map.of()), dir).with("port", "0").with("host", "127.0.0.1")
                .with(overrides);
        DemoSeeder.seed(config.settings());
        return config;
    }

    /** Plain HTTP to a running server. */
    static LiveDemo over(LeopardServer server) {
        return new LiveDemo(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), server.baseUrl());
    }

    /** HTTPS to a running server, with a client that trusts {@code tls}. */
    static LiveDemo overHttps(LeopardServer server, javax.net.ssl.SSLContext tls) {
        return new LiveDemo(server, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5)).build(), server.httpsBaseUrl());
    }

    String base() {
        return base;
    }

    /** Signs {@code params} independently (MD5 unless signType is given) and posts them as a form. */
    HttpResponse<String> postSigned(String path, Map<String, String> params, String key) throws Exception {
        Map<String, String> signed = new TreeMap<>(params);
        signed.put("sign", IndependentVerifier.sign(params, key, params.getOrDefault("signType", "MD5")));
        return post(path, "application/x-www-form-urlencoded", form(signed));
    }

    HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Override
    public void close() {
        server.close();
    }
}
