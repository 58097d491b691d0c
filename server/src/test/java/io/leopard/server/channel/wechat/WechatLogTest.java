package io.leopard.server.channel.wechat;

import static io.leopard.server.channel.wechat.WechatTesting.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Whatever goes wrong, no log line and no exception message holds the key, the certificate or a signed request. */
class WechatLogTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.leopard.server.channel");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level level;
    private FakeWechat fake;
    private WechatChannel channel;
    private ChannelCredentials credentials;
    private String certP12;

    @BeforeEach
    void start() throws IOException, GeneralSecurityException {
        WechatTestCertificates certs = WechatTestCertificates.get();
        level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        lines.start();
        logger.addAppender(lines);
        fake = FakeWechat.https(certs);
        ChannelSettings settings = new ChannelSettings(fake.baseUrl(), URI.create("http://127.0.0.1:9/alipay"), certs.caPem());
        channel = new WechatChannel(settings, new ChannelHttp(settings), Clock.systemUTC());
        certP12 = Base64.getEncoder().encodeToString(Files.readAllBytes(certs.clientP12()));
        credentials = WechatTesting.credentials("MD5", Map.of("certP12", certP12, "certPassword", WechatTestCertificates.PASSWORD));
    }

    @AfterEach
    void stop() {
        fake.close();
        logger.detachAppender(lines);
        logger.setLevel(level);
    }

    @Test
    void noSecretInAnyLogLineOrMessage() {
        List<Throwable> failures = new ArrayList<>();
        List<FakeWechat.Reply> replies = new ArrayList<>();
        fake.answer(request -> {
            // the fake answers in turn: unsigned, refused, a wrong merchant, not XML, HTTP 500
            return switch (replies.size() % 5) {
                case 0 -> FakeWechat.unsigned(request, Map.of("trade_state", "SUCCESS"));
                case 1 -> FakeWechat.unsigned(request, Map.of("return_code", "FAIL", "return_msg", "签名错误"));
                case 2 -> FakeWechat.signed(request, Map.of("mch_id", "10000999"));
                case 3 -> FakeWechat.Reply.of("<html>");
                default -> new FakeWechat.Reply(500, "", 0, 0);
            };
        });
        for (int i = 0; i < 5; i++) {
            replies.add(null);
            failures.add(catchThrowable(() -> channel.query(order(false), credentials, TIMEOUT)));
            failures.add(catchThrowable(() -> channel.cancel(order(true), credentials, TIMEOUT)));
        }
        failures.add(catchThrowable(() -> channel.checkCredentials(Map.of("appid", FakeWechat.APPID, "mchId", FakeWechat.MCH_ID,
                "key", FakeWechat.KEY, "certP12", certP12, "certPassword", "not-" + WechatTestCertificates.PASSWORD))));

        String signedRequest = WechatXml.write(fake.lastRequest());
        assertThat(lines.list).isNotEmpty();
        List<String> texts = new ArrayList<>();
        lines.list.forEach(e -> texts.add(e.getFormattedMessage()));
        failures.forEach(f -> texts.add(String.valueOf(f)));
        assertThat(failures).doesNotContainNull();
        for (String text : texts) {
            assertThat(text).doesNotContain(FakeWechat.KEY, WechatTestCertificates.PASSWORD, certP12.substring(0, 16),
                    fake.lastRequest().get("sign"), signedRequest, "<xml>");
        }
    }
}
