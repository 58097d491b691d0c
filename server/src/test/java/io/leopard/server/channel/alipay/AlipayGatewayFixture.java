package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** An {@link AlipayChannel} pointed at a fresh {@link AlipayFakeGateway}, for each test. */
abstract class AlipayGatewayFixture {
    static final String APP_ID = "2021004100000001";
    static final String FLOW_NO = "F2026120300000001";
    static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** 01:02:03 UTC is 09:02:03 in Beijing. */
    static final Instant NOW = Instant.parse("2026-12-03T01:02:03Z");

    AlipayFakeGateway gateway;
    AlipayChannel channel;
    ChannelCredentials credentials;

    @BeforeEach
    void startGateway() throws IOException {
        gateway = new AlipayFakeGateway(AlipayTestKeys.ALIPAY, AlipayTestKeys.APP.getPublic());
        channel = channelTo(gateway.uri());
        credentials = new ChannelCredentials(AlipayChannel.NAME, channel.checkCredentials(Map.of(
                "appId", APP_ID,
                "privateKey", AlipayTestKeys.privatePem(AlipayTestKeys.APP),
                "alipayPublicKey", AlipayTestKeys.publicPem(AlipayTestKeys.ALIPAY))));
    }

    @AfterEach
    void stopGateway() {
        // every request the adapter made was one Alipay would have taken
        assertThat(gateway.badRequests()).as("requests the gateway refused").isZero();
        gateway.close();
    }

    static AlipayChannel channelTo(URI gateway) {
        ChannelSettings settings = new ChannelSettings(URI.create("http://127.0.0.1:1"), gateway, null);
        return new AlipayChannel(settings, new ChannelHttp(settings), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static ChannelOrder order(String amount, boolean cardPresent) {
        return new ChannelOrder("M100001", "ORD-1", FLOW_NO, new BigDecimal(amount), "alipay", cardPresent,
                NOW.minusSeconds(600), "req-7");
    }
}
