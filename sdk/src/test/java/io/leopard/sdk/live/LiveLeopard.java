package io.leopard.sdk.live;

import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.RetryPolicy;
import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.demo.DemoSeeder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Leopard server on 127.0.0.1 and a random port, on a fresh embedded database holding the
 * demo fixture (the same start-up as the server's own end-to-end tests). Rate limits are raised so
 * that a whole test class can run against one server.
 */
public final class LiveLeopard implements AutoCloseable {
    public static final String MID = "100000510983456";
    public static final String KEY = "kx5hd8wq3mzt7rvn2cpb";
    public static final String MID2 = "100000510983457";
    public static final String KEY2 = "p4ne9gjv6ty2rq8sw3lc";
    public static final String MID_DISABLED = "100000510983458";
    public static final String KEY_DISABLED = "z7c2m9q4w8e3r6t1y5ub";

    public static final String PAID = "M201611101010100002";
    public static final String INIT = "M201611101010100011";
    public static final String OTHER_MERCHANTS = "X201611101050000001";
    public static final String CARD_PAID = "B201611101030000001";
    public static final String CARD_PENDING = "B201611101030000002";
    public static final String CARD_REVOKED = "B201611101030000003";

    private final LeopardServer server;

    private LiveLeopard(LeopardServer server) {
        this.server = server;
    }

    public static LiveLeopard start() {
        return start(Map.of());
    }

    public static LiveLeopard start(Map<String, String> overrides) {
        Path dir;
        try {
            dir = Files.createTempDirectory("leopard-sdk-live-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        LeopardConfig config = DemoSeeder.demoConfig(LeopardConfig.of(Map.of()), dir)
                .with("port", "0").with("host", "127.0.0.1")
                .with("rate.per-second", "100000").with("rate.burst", "100000")
                .with("rate.address-per-second", "100000").with("rate.address-burst", "100000");
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            config = config.with(e.getKey(), e.getValue());
        }
        DemoSeeder.seed(config.settings());
        return new LiveLeopard(LeopardServer.start(config.settings()));
    }

    /** {@code http://127.0.0.1:PORT} plus the path prefix, if any. */
    public String baseUrl() {
        return server.baseUrl();
    }

    /** A client of the demo merchant ...456 with the demo key, short timeouts, default retries. */
    public LeopardClient.Builder client() {
        return client(baseUrl(), MID, KEY);
    }

    public static LeopardClient.Builder client(String baseUrl, String mid, String key) {
        return LeopardClient.builder().baseUrl(baseUrl).mid(mid).key(key)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10))
                .retryPolicy(RetryPolicy.defaults());
    }

    @Override
    public void close() {
        server.close();
    }
}
