package io.leopard.sdk.live;

import static io.leopard.server.testing.LiveLeopard.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leopard.protocol.ErrorCode;
import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.LeopardProtocolException;
import io.leopard.server.LeopardServer;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.store.Database;
import io.leopard.server.testing.LiveLeopard;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SDK against a real server on which the demo merchant has replay protection on. */
class LiveReplayProtectionTest {
    private static LiveLeopard leopard;
    private static TamperingProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        LeopardConfig config = LiveLeopard.seeded(LiveLeopard.NO_RATE_LIMITS);
        try (Database database = Database.open(config.settings().database())) {
            Merchants.store(config.settings().keys(), database).setReplayWindow(MID, Duration.ofMinutes(5));
        }
        leopard = LiveLeopard.over(LeopardServer.start(config.settings()));
        proxy = new TamperingProxy(leopard.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (leopard != null) {
            leopard.close();
        }
    }

    @Test
    void aClientSendingTimestampsIsAnsweredOnEveryEndpoint() {
        LeopardClient c = LiveClients.client(proxy.baseUrl(), MID, KEY).sendTimestamp(true).build();
        assertThat(c.querySingle(PAID).order().isPaid()).isTrue();
        assertThat(c.querySingle(PAID).isFound()).as("each request has its own noise").isTrue();
        assertThat(c.queryMulti(java.util.List.of(PAID, "NOPE1")).size()).isEqualTo(2);
        assertThat(c.queryBrushcard(CARD_PENDING).isFound()).isTrue();
        assertThat(c.events(null)).isNotNull();
    }

    @Test
    void aClientWithoutTimestampsIsToldSoAndNotRetried() {
        LeopardClient c = LiveClients.client(proxy.baseUrl(), MID, KEY).build();
        int before = proxy.requests();
        Throwable thrown = catchThrowable(() -> c.querySingle(PAID));
        assertThat(thrown).isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
            assertThat(e.msg()).contains("timestamp is required");
        });
        assertThat(proxy.requests() - before).isEqualTo(1);
    }
}
