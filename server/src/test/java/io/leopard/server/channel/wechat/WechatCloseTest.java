package io.leopard.server.channel.wechat;

import static io.leopard.server.channel.wechat.WechatQueryTest.mapOf;
import static io.leopard.server.channel.wechat.WechatTesting.FLOW_NO;
import static io.leopard.server.channel.wechat.WechatTesting.credentials;
import static io.leopard.server.channel.wechat.WechatTesting.failure;
import static io.leopard.server.channel.wechat.WechatTesting.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.CancelReply.Outcome;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pay/closeorder}: how an order that is not card-present is ended. */
class WechatCloseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private FakeWechat fake;
    private WechatChannel channel;

    @BeforeEach
    void start() throws IOException {
        fake = FakeWechat.http();
        ChannelSettings settings = new ChannelSettings(fake.baseUrl(), URI.create("http://127.0.0.1:9/alipay"), null);
        channel = new WechatChannel(settings, new ChannelHttp(settings), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        fake.close();
        assertThat(fake.badSignatures()).isZero();
    }

    private CancelReply close() {
        return channel.cancel(order(false), credentials(), TIMEOUT);
    }

    @Test
    void closesTheOrder() {
        fake.answerSigned(Map.of());
        assertThat(close().outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(fake.calls("pay/closeorder")).isEqualTo(1);
        assertThat(fake.lastRequest()).containsEntry("out_trade_no", FLOW_NO).containsEntry("sign_type", "MD5");
    }

    @ParameterizedTest
    @CsvSource({"ORDERPAID, PAID", "ORDERCLOSED, CLOSED", "SYSTEMERROR, TRY_AGAIN", "ORDERNOTEXIST, NOT_KNOWN"})
    void mapsEachErrorItKnows(String errCode, Outcome expected) {
        fake.answerSigned(Map.of("result_code", "FAIL", "err_code", errCode, "err_code_des", "说明"));
        CancelReply reply = close();
        assertThat(reply.outcome()).isEqualTo(expected);
        assertThat(reply.detail()).contains(errCode);
    }

    @Test
    void anyOtherErrorIsARefusal() {
        fake.answerSigned(Map.of("result_code", "FAIL", "err_code", "REQUIRE_POST_METHOD", "err_code_des", "请使用post方法"));
        assertThat(failure(Failure.REFUSED, this::close).getMessage()).contains("REQUIRE_POST_METHOD");
    }

    @Test
    void checksTheAnswerAsAQueryDoes() {
        fake.answer(request -> FakeWechat.unsigned(request, Map.of()));
        failure(Failure.BAD_SIGNATURE, this::close);
        fake.answerSigned(mapOf("mch_id", "10000999"));
        failure(Failure.MISMATCH, this::close);
        fake.answerSigned(mapOf("result_code", null));
        failure(Failure.MALFORMED, this::close);
        fake.answer(request -> FakeWechat.unsigned(request, Map.of("return_code", "FAIL", "return_msg", "签名错误")));
        failure(Failure.REFUSED, this::close);
    }

    @Test
    void aCardPresentOrderNeedsTheApiCertificate() {
        assertThat(failure(Failure.NOT_CONFIGURED, () -> channel.cancel(order(true), credentials(), TIMEOUT)).getMessage())
                .contains("certP12");
        assertThat(fake.calls()).isZero();
    }
}
