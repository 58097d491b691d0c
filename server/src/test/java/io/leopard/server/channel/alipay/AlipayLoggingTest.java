package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Failures are logged at WARN with the request id and flowNo; never a key, a signature or the signed form. */
class AlipayLoggingTest extends AlipayGatewayFixture {
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.leopard.server.channel.alipay");
    private Level level;

    @BeforeEach
    void capture() {
        level = logger.getLevel();
        logger.setLevel(Level.TRACE);
        captured.start();
        logger.addAppender(captured);
    }

    @AfterEach
    void release() {
        logger.detachAppender(captured);
        logger.setLevel(level);
    }

    @Test
    void failuresAreWarnedWithTheirOrderAndNoSecret() {
        List<String> signs = new ArrayList<>();
        gateway.answer(params -> {
            signs.add(params.get("sign"));
            return AlipayFakeGateway.Reply.ok(gateway.signed(AlipayFakeGateway.element(params),
                    AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "0.01"))));
        });
        catchThrowable(() -> channel.query(order("88.88", false), credentials, TIMEOUT));
        gateway.answer(AlipayFakeGateway.signedBy(AlipayTestKeys.OTHER.getPrivate(), "alipay_trade_close_response", "{\"code\":\"10000\"}"));
        catchThrowable(() -> channel.cancel(order("88.88", false), credentials, TIMEOUT));
        gateway.answer(params -> new AlipayFakeGateway.Reply(200, "{}", Duration.ofSeconds(5)));
        catchThrowable(() -> channel.query(order("88.88", false), credentials, Duration.ofMillis(200)));
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        assertThat(channel.query(order("88.88", false), credentials, TIMEOUT))
                .isInstanceOfSatisfying(ChannelReply.Known.class,
                        k -> assertThat(k.state()).isEqualTo(ChannelState.SUCCESS));

        List<ILoggingEvent> warnings = captured.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(3).allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("req-7").contains(FLOW_NO));
        String privateKey = credentials.get("privateKey");
        for (ILoggingEvent event : captured.list) {
            String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? "" : event.getThrowableProxy().getMessage());
            for (int at = 0; at + 24 <= privateKey.length(); at += 24) {
                assertThat(line).doesNotContain(privateKey.substring(at, at + 24));
            }
            for (String sign : signs) {
                assertThat(line).doesNotContain(sign.substring(0, 24));
            }
            assertThat(line).doesNotContain("biz_content").doesNotContain("app_id=");
        }
    }
}
