package io.leopard.server.channel.wechat;

import static io.leopard.server.channel.wechat.WechatTesting.FLOW_NO;
import static io.leopard.server.channel.wechat.WechatTesting.failure;
import static io.leopard.server.channel.wechat.WechatTesting.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.CancelReply.Outcome;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code secapi/pay/reverse} over mutual TLS: a card-present order is ended with the merchant's certificate. */
class WechatReverseTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final WechatTestCertificates certs = WechatTestCertificates.get();
    private FakeWechat fake;
    private ChannelHttp http;
    private ChannelSettings settings;
    private WechatChannel channel;

    @BeforeEach
    void start() throws IOException, GeneralSecurityException {
        fake = FakeWechat.https(certs);
        settings = new ChannelSettings(fake.baseUrl(), URI.create("http://127.0.0.1:9/alipay"), certs.caPem());
        http = new ChannelHttp(settings);
        channel = new WechatChannel(settings, http, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        fake.close();
        assertThat(fake.badSignatures()).isZero();
    }

    private ChannelCredentials withCertificate(Path p12) throws IOException {
        return WechatTesting.credentials("HMAC-SHA256", Map.of(
                "certP12", Base64.getEncoder().encodeToString(Files.readAllBytes(p12)),
                "certPassword", WechatTestCertificates.PASSWORD));
    }

    private CancelReply reverse() throws IOException {
        return channel.cancel(order(true), withCertificate(certs.clientP12()), TIMEOUT);
    }

    @Test
    void reversesWithTheMerchantsCertificateAndKeepsItsClient() throws IOException {
        fake.answerSigned(Map.of("recall", "N"));
        assertThat(reverse().outcome()).isEqualTo(Outcome.REVOKED);
        assertThat(reverse().outcome()).isEqualTo(Outcome.REVOKED);
        assertThat(fake.calls("secapi/pay/reverse")).isEqualTo(2);
        assertThat(fake.lastRequest()).containsEntry("out_trade_no", FLOW_NO).containsEntry("sign_type", "HMAC-SHA256");
        assertThat(channel.certificateClients()).as("one client for the merchant's certificate").isEqualTo(1);

        // another certificate (the stranger's, refused by the fake): another client
        ChannelCredentials replaced = withCertificate(certs.strangerP12());
        failure(Failure.UNREACHABLE, () -> channel.cancel(order(true), replaced, TIMEOUT));
        assertThat(channel.certificateClients()).isEqualTo(2);
    }

    @Test
    void recallMeansTryAgain() throws IOException {
        fake.answerSigned(Map.of("recall", "Y"));
        assertThat(reverse().outcome()).isEqualTo(Outcome.TRY_AGAIN);
        fake.answerSigned(Map.of("result_code", "FAIL", "recall", "Y", "err_code", "SYSTEMERROR", "err_code_des", "系统错误"));
        assertThat(reverse().outcome()).isEqualTo(Outcome.TRY_AGAIN);
    }

    @ParameterizedTest
    @CsvSource({"ORDERNOTEXIST, NOT_KNOWN", "SYSTEMERROR, TRY_AGAIN", "USERPAYING, TRY_AGAIN"})
    void mapsEachErrorItKnows(String errCode, Outcome expected) throws IOException {
        fake.answerSigned(Map.of("result_code", "FAIL", "recall", "N", "err_code", errCode, "err_code_des", "说明"));
        assertThat(reverse().outcome()).isEqualTo(expected);
    }

    @Test
    void anyOtherErrorIsARefusal() {
        fake.answerSigned(Map.of("result_code", "FAIL", "recall", "N", "err_code", "REVERSE_EXPIRE", "err_code_des", "订单已超过撤销期限"));
        assertThat(failure(Failure.REFUSED, this::reverse).getMessage()).contains("REVERSE_EXPIRE");
    }

    @Test
    void anUnsignedSuccessIsNotBelieved() {
        fake.answer(request -> FakeWechat.unsigned(request, Map.of("recall", "N")));
        failure(Failure.BAD_SIGNATURE, this::reverse);
    }

    @Test
    void theFakeRefusesACallWithoutAClientCertificate() {
        failure(Failure.UNREACHABLE, () -> http.post(settings.wechat("secapi/pay/reverse"), "text/xml", "<xml/>", TIMEOUT));
        assertThat(fake.calls()).isZero();
    }

    @Test
    void theFakeRefusesACertificateOfAnotherAuthority() throws IOException {
        ChannelCredentials stranger = withCertificate(certs.strangerP12());
        failure(Failure.UNREACHABLE, () -> channel.cancel(order(true), stranger, TIMEOUT));
        assertThat(fake.calls()).isZero();
    }
}
