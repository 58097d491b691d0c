package io.leopard.server.channel.wechat;

import static io.leopard.server.channel.wechat.WechatTesting.FLOW_NO;
import static io.leopard.server.channel.wechat.WechatTesting.credentials;
import static io.leopard.server.channel.wechat.WechatTesting.failure;
import static io.leopard.server.channel.wechat.WechatTesting.order;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelSettings;
import io.leopard.server.channel.ChannelState;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code pay/orderquery} against the fake: what each verified answer means, and what is refused. */
class WechatQueryTest {
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
        assertThat(fake.badSignatures()).as("requests the fake found wrongly signed").isZero();
    }

    private static Map<String, String> paid(String tradeState) {
        return Map.of("trade_state", tradeState, "total_fee", "1234", "cash_fee", "1234",
                "transaction_id", "4200001234202612031234567890", "time_end", "20261203153000", "openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    }

    private ChannelReply query(ChannelCredentials credentials) {
        return channel.query(order(false), credentials, TIMEOUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "HMAC-SHA256"})
    void readsAPaidOrder(String signType) {
        fake.answerSigned(paid("SUCCESS"));
        ChannelReply reply = query(credentials(signType, Map.of()));

        assertThat(reply).isEqualTo(new ChannelReply.Known(ChannelState.SUCCESS, "4200001234202612031234567890",
                Instant.parse("2026-12-03T07:30:00Z"), new BigDecimal("12.34"), false));
        Map<String, String> request = fake.lastRequest();
        assertThat(fake.calls("pay/orderquery")).isEqualTo(1);
        assertThat(request).containsEntry("appid", FakeWechat.APPID).containsEntry("mch_id", FakeWechat.MCH_ID)
                .containsEntry("out_trade_no", FLOW_NO).containsEntry("sign_type", signType)
                .doesNotContainKey("sub_mch_id").containsKeys("nonce_str", "sign");
        assertThat(request.get("nonce_str")).matches("[A-Za-z0-9]{32}");
    }

    @Test
    void sendsANewNonceEachTime() {
        fake.answerSigned(paid("SUCCESS"));
        query(credentials());
        String first = fake.lastRequest().get("nonce_str");
        query(credentials());
        assertThat(fake.lastRequest().get("nonce_str")).isNotEqualTo(first);
    }

    @Test
    void readsARefundedOrderAsPaidAndRefunded() {
        fake.answerSigned(paid("REFUND"));
        ChannelReply.Known reply = (ChannelReply.Known) query(credentials());
        assertThat(reply.state()).isEqualTo(ChannelState.SUCCESS);
        assertThat(reply.refunded()).isTrue();
        assertThat(reply.paidAmount()).isEqualTo(new BigDecimal("12.34"));
    }

    @ParameterizedTest
    @CsvSource({"NOTPAY, PENDING", "USERPAYING, PENDING", "CLOSED, CLOSED", "REVOKED, REVOKED", "PAYERROR, FAILED"})
    void mapsEachUnpaidTradeState(String tradeState, ChannelState expected) {
        fake.answerSigned(Map.of("trade_state", tradeState, "trade_state_desc", "whatever"));
        ChannelReply.Known reply = (ChannelReply.Known) query(credentials());
        assertThat(reply.state()).isEqualTo(expected);
        assertThat(reply.payTime()).isNull();
        assertThat(reply.paidAmount()).isNull();
        assertThat(reply.refunded()).isFalse();
    }

    @Test
    void refusesAnUnknownTradeState() {
        fake.answerSigned(Map.of("trade_state", "ACCEPT"));
        failure(Failure.MALFORMED, () -> query(credentials()));
        fake.answerSigned(Map.of("total_fee", "1234"));
        failure(Failure.MALFORMED, () -> query(credentials()));
    }

    @Test
    void anOrderWechatDoesNotKnowIsNotKnown() {
        fake.answerSigned(mapOf("result_code", "FAIL", "err_code", "ORDERNOTEXIST", "err_code_des", "此交易订单号不存在", "out_trade_no", null));
        assertThat(query(credentials())).isInstanceOf(ChannelReply.NotKnown.class);
    }

    @Test
    void anotherBusinessErrorIsARefusal() {
        fake.answerSigned(mapOf("result_code", "FAIL", "err_code", "SYSTEMERROR", "err_code_des", "系统错误", "out_trade_no", null));
        assertThat(failure(Failure.REFUSED, () -> query(credentials())).getMessage()).contains("SYSTEMERROR");
    }

    @Test
    void aRefusedRequestMayBeUnsigned() {
        fake.answer(request -> FakeWechat.unsigned(request, Map.of("return_code", "FAIL", "return_msg", "appid不存在")));
        assertThat(failure(Failure.REFUSED, () -> query(credentials())).getMessage()).contains("appid不存在");
    }

    @Test
    void aSuccessMustBeSigned() {
        fake.answer(request -> FakeWechat.unsigned(request, paid("SUCCESS")));
        failure(Failure.BAD_SIGNATURE, () -> query(credentials()));
    }

    @Test
    void refusesAWrongSign() {
        fake.answer(request -> {
            Map<String, String> fields = new HashMap<>(paid("SUCCESS"));
            fields.put("total_fee", "1");
            String wrong = FakeWechat.signed(request, fields).body();
            // the sign of total_fee=1 over an answer of total_fee=1234: a forged amount
            String sign = wrong.replaceAll("(?s).*<sign><!\\[CDATA\\[([0-9A-F]+)]]></sign>.*", "$1");
            fields.put("total_fee", "1234");
            fields.put("sign", sign);
            return FakeWechat.unsigned(request, fields);
        });
        failure(Failure.BAD_SIGNATURE, () -> query(credentials()));
    }

    @Test
    void refusesAnAnswerSignedTheOtherWay() {
        fake.answer(request -> {
            Map<String, String> fields = new HashMap<>(paid("SUCCESS"));
            Map<String, String> asMd5 = new HashMap<>(request);
            asMd5.put("sign_type", "MD5");
            return FakeWechat.signed(asMd5, fields);
        });
        failure(Failure.BAD_SIGNATURE, () -> query(credentials("HMAC-SHA256", Map.of())));
    }

    @Test
    void refusesAnAnswerForAnotherMerchant() {
        fake.answerSigned(mapOf("appid", "wx0000000000000000"));
        failure(Failure.MISMATCH, () -> query(credentials()));
        fake.answerSigned(mapOf("mch_id", "10000999"));
        failure(Failure.MISMATCH, () -> query(credentials()));
        fake.answerSigned(mapOf("mch_id", null));
        failure(Failure.MALFORMED, () -> query(credentials()));
    }

    @Test
    void sendsTheSubMerchantAndChecksItsEcho() {
        ChannelCredentials provider = credentials("MD5", Map.of("subMchId", "1900000109"));
        fake.answerSigned(paid("SUCCESS"));
        assertThat(query(provider)).isInstanceOf(ChannelReply.Known.class);
        assertThat(fake.lastRequest()).containsEntry("sub_mch_id", "1900000109");

        Map<String, String> other = new HashMap<>(paid("SUCCESS"));
        other.put("sub_mch_id", "1900000999");
        fake.answerSigned(other);
        failure(Failure.MISMATCH, () -> query(provider));
    }

    @Test
    void refusesAnAnswerAboutAnotherOrder() {
        Map<String, String> fields = new HashMap<>(paid("SUCCESS"));
        fields.put("out_trade_no", "F2026120300000002");
        fake.answerSigned(fields);
        failure(Failure.MISMATCH, () -> query(credentials()));
    }

    @Test
    void refusesAnotherAmountAsAMismatch() {
        Map<String, String> fields = new HashMap<>(paid("SUCCESS"));
        fields.put("total_fee", "1235");
        fake.answerSigned(fields);
        assertThat(failure(Failure.MISMATCH, () -> query(credentials())).getMessage()).contains("amount", "1235", "12.34");

        fields.put("total_fee", "12.34");
        fake.answerSigned(fields);
        failure(Failure.MALFORMED, () -> query(credentials()));

        fields.remove("total_fee");
        fake.answerSigned(fields);
        failure(Failure.MALFORMED, () -> query(credentials()));
    }

    @Test
    void refusesAPayTimeItCannotRead() {
        Map<String, String> fields = new HashMap<>(paid("SUCCESS"));
        fields.put("time_end", "2026-12-03 15:30:00");
        fake.answerSigned(fields);
        failure(Failure.MALFORMED, () -> query(credentials()));
    }

    @Test
    void theCredentialsMustHoldWhatTheCallNeeds() {
        ChannelCredentials none = new ChannelCredentials("wechat", Map.of("appid", FakeWechat.APPID));
        failure(Failure.NOT_CONFIGURED, () -> query(none));
        assertThat(fake.calls()).isZero();
    }

    /** Map.of without its ban on null values (null removes a field of the fake's answer). */
    static Map<String, String> mapOf(String... kv) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            map.put(kv[i], kv[i + 1]);
        }
        return map;
    }
}
