package io.leopard.sdk.live;

import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.RetryPolicy;
import io.leopard.server.testing.LiveLeopard;
import java.time.Duration;

/** SDK clients for a {@link LiveLeopard} (or a proxy in front of one): short timeouts, default retries. */
final class LiveClients {
    private LiveClients() {
    }

    /** A client of the demo merchant ...456 with the demo key. */
    static LeopardClient.Builder client(LiveLeopard leopard) {
        return client(leopard.baseUrl(), LiveLeopard.MID, LiveLeopard.KEY);
    }

    static LeopardClient.Builder client(String baseUrl, String mid, String key) {
        return LeopardClient.builder().baseUrl(baseUrl).mid(mid).key(key)
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10))
                .retryPolicy(RetryPolicy.defaults());
    }
}
