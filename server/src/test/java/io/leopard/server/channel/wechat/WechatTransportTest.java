package io.leopard.server.channel.wechat;

import static io.leopard.server.channel.wechat.WechatTesting.credentials;
import static io.leopard.server.channel.wechat.WechatTesting.failure;
import static io.leopard.server.channel.wechat.WechatTesting.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reaches the channel from a misbehaving WeChat: each way is one typed failure, in bounded time. */
class WechatTransportTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private FakeWechat fake;
    private WechatChannel channel;

    @BeforeEach
    void start() throws IOException {
        fake = FakeWechat.http();
        channel = channel(fake.baseUrl());
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static WechatChannel channel(URI base) {
        ChannelSettings settings = new ChannelSettings(base, URI.create("http://127.0.0.1:9/alipay"), null);
        return new WechatChannel(settings, new ChannelHttp(settings), Clock.systemUTC());
    }

    private ChannelException query(Failure expected) {
        return failure(expected, () -> channel.query(order(false), credentials(), TIMEOUT));
    }

    @Test
    void anAnswerThatIsNotXmlIsMalformed() {
        fake.answer(request -> FakeWechat.Reply.of("<html><body>502 Bad Gateway</body>"));
        query(Failure.MALFORMED);
        fake.answer(request -> FakeWechat.Reply.of("{\"return_code\":\"SUCCESS\"}"));
        query(Failure.MALFORMED);
        fake.answer(request -> FakeWechat.Reply.of("<xml><result_code>SUCCESS</result_code></xml>"));
        assertThat(query(Failure.MALFORMED).getMessage()).contains("return_code");
    }

    @Test
    void anExternalEntityIsRefusedAndTheFileIsNeverRead(@TempDir Path dir) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        fake.answer(request -> FakeWechat.Reply.of("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>"
                + "<xml><return_code>FAIL</return_code><return_msg>&xxe;</return_msg></xml>"));
        ChannelException e = query(Failure.MALFORMED);
        assertThat(e.getMessage()).doesNotContain("TOP-SECRET");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void anAnswerOfAHundredKibibytesIsRefused() {
        fake.answer(request -> FakeWechat.Reply.of("<xml><return_msg>" + "x".repeat(100 * 1024) + "</return_msg></xml>"));
        assertThat(query(Failure.MALFORMED).getMessage()).contains(String.valueOf(ChannelHttp.MAX_ANSWER_BYTES));
    }

    @Test
    void aSlowAnswerIsATimeoutWithinTheTimeout() {
        fake.answer(request -> FakeWechat.signed(request, java.util.Map.of("trade_state", "NOTPAY")).afterMillis(30_000));
        long start = System.nanoTime();
        query(Failure.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }

    @Test
    void aSlowBodyIsATimeoutWithinTheTimeout() {
        fake.answer(request -> FakeWechat.signed(request, java.util.Map.of("trade_state", "NOTPAY")).bodyAfterMillis(30_000));
        long start = System.nanoTime();
        query(Failure.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }

    @Test
    void anHttpErrorIsAnHttpStatus() {
        fake.answer(request -> new FakeWechat.Reply(500, "<xml><return_code>FAIL</return_code></xml>", 0, 0));
        assertThat(query(Failure.HTTP_STATUS).getMessage()).contains("500");
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        channel = channel(URI.create("http://127.0.0.1:" + port));
        query(Failure.UNREACHABLE);
    }
}
