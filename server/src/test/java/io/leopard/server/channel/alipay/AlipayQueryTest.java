package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code alipay.trade.query} against the fake gateway: the request, each answer, each way an answer is wrong. */
class AlipayQueryTest extends AlipayGatewayFixture {
    private static final String ELEMENT = "alipay_trade_query_response";

    private ChannelReply query() {
        return channel.query(order("88.88", false), credentials, TIMEOUT);
    }

    private static void assertFails(ThrowingCallable call, Failure failure) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).as(e.getMessage()).isEqualTo(failure));
    }

    @Test
    void theRequestIsASignedFormWithTheCommonParameters() throws Exception {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "WAIT_BUYER_PAY", "88.88"));

        query();

        Map<String, String> sent = gateway.lastRequest();
        assertThat(sent).containsEntry("app_id", APP_ID)
                .containsEntry("method", "alipay.trade.query")
                .containsEntry("format", "JSON")
                .containsEntry("charset", "utf-8")
                .containsEntry("sign_type", "RSA2")
                .containsEntry("timestamp", "2026-12-03 09:02:03")
                .containsEntry("version", "1.0")
                .containsKey("sign");
        JsonNode biz = new ObjectMapper().readTree(sent.get("biz_content"));
        assertThat(biz.properties()).hasSize(1);
        assertThat(biz.get("out_trade_no").textValue()).isEqualTo(FLOW_NO);
        assertThat(gateway.lastContentType()).isEqualTo("application/x-www-form-urlencoded; charset=utf-8");
        assertThat(gateway.calls()).isEqualTo(1);
    }

    @Test
    void waitBuyerPayIsPending() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "WAIT_BUYER_PAY", "88.88"));

        assertThat(query()).isEqualTo(new ChannelReply.Known(ChannelState.PENDING,
                "2026120322001404500512345678", null, null, false));
    }

    @ParameterizedTest
    @CsvSource({"TRADE_SUCCESS", "TRADE_FINISHED"})
    void aPaidTradeIsSuccessWithItsNumberTimeAndAmount(String status) {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, status, "88.88"));

        assertThat(query()).isEqualTo(new ChannelReply.Known(ChannelState.SUCCESS, "2026120322001404500512345678",
                Instant.parse("2026-12-03T01:05:00Z"), new BigDecimal("88.88"), false));
    }

    @Test
    void amountsAreComparedAsNumbers() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.880"));

        assertThat(query()).isInstanceOfSatisfying(ChannelReply.Known.class,
                k -> assertThat(k.state()).isEqualTo(ChannelState.SUCCESS));
    }

    @Test
    void aClosedTradeIsClosed() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_CLOSED", "88.88"));

        assertThat(query()).isInstanceOfSatisfying(ChannelReply.Known.class,
                k -> assertThat(k.state()).isEqualTo(ChannelState.CLOSED));
    }

    @Test
    void anUnknownTradeStatusIsMalformed() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_PENDING", "88.88"));

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aPaidTradeWithoutAmountIsMalformed() {
        Map<String, String> trade = AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88");
        trade.remove("total_amount");
        gateway.answerSigned(trade);

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aPayTimeThatIsNoTimeIsMalformed() {
        Map<String, String> trade = AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88");
        trade.put("send_pay_date", "2026-02-30 09:05:00");
        gateway.answerSigned(trade);

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aValueThatIsNotAStringIsMalformed() {
        Map<String, Object> trade = new LinkedHashMap<>(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        trade.put("total_amount", 88.88);
        gateway.answerSigned(trade);

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void tradeNotExistIsNotKnown() {
        gateway.answerSigned(AlipayFakeGateway.error("40004", "ACQ.TRADE_NOT_EXIST"));

        assertThat(query()).isInstanceOfSatisfying(ChannelReply.NotKnown.class,
                n -> assertThat(n.detail()).contains("ACQ.TRADE_NOT_EXIST"));
    }

    @Test
    void otherBusinessErrorsAreRefusals() {
        gateway.answerSigned(AlipayFakeGateway.error("40004", "ACQ.INVALID_PARAMETER"));

        assertFails(this::query, Failure.REFUSED);
    }

    @ParameterizedTest
    @CsvSource({"20000, isp.unknow-error", "40004, ACQ.SYSTEM_ERROR"})
    void alipaySystemErrorsAreAChannelFault(String code, String subCode) {
        gateway.answerSigned(AlipayFakeGateway.error(code, subCode));

        assertThatThrownBy(this::query).isInstanceOfSatisfying(ChannelException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.HTTP_STATUS);
            assertThat(e.isChannelFault()).isTrue();
        });
    }

    @Test
    void anUnsignedGatewayErrorIsARefusal() {
        gateway.answer(AlipayFakeGateway.unsigned("error_response", AlipayFakeGateway.json(
                Map.of("code", "40002", "msg", "Invalid Arguments", "sub_code", "isv.invalid-app-id", "sub_msg", "无效的AppID参数"))));

        assertThatThrownBy(this::query).isInstanceOfSatisfying(ChannelException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.REFUSED);
            assertThat(e.getMessage()).contains("isv.invalid-app-id").contains("unsigned");
        });
    }

    @Test
    void anUnsignedNotExistIsARefusalNotANotKnown() {
        // NotKnown lets a cancel close the order locally: only Alipay's signed word may say it
        gateway.answer(AlipayFakeGateway.unsigned(ELEMENT, AlipayFakeGateway.json(AlipayFakeGateway.error("40004", "ACQ.TRADE_NOT_EXIST"))));

        assertFails(this::query, Failure.REFUSED);
    }

    @Test
    void anUnsignedSuccessIsABadSignature() {
        gateway.answer(AlipayFakeGateway.unsigned(ELEMENT, AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"))));

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void anEmptySignIsABadSignature() {
        String content = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        gateway.answer("{\"" + ELEMENT + "\":" + content + ",\"sign\":\"\"}");

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void aSignatureByAnotherKeyIsABadSignature() {
        gateway.answer(AlipayFakeGateway.signedBy(AlipayTestKeys.OTHER.getPrivate(), ELEMENT,
                AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"))));

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void aSignedErrorWithAWrongSignIsABadSignature() {
        gateway.answer(AlipayFakeGateway.signedBy(AlipayTestKeys.OTHER.getPrivate(), ELEMENT,
                AlipayFakeGateway.json(AlipayFakeGateway.error("40004", "ACQ.TRADE_NOT_EXIST"))));

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void aSignThatIsNotBase64IsABadSignature() {
        String content = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        gateway.answer("{\"" + ELEMENT + "\":" + content + ",\"sign\":\"not base64!\"}");

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void aChangedAnswerIsABadSignature() {
        String paid = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        String pending = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "WAIT_BUYER_PAY", "88.88"));
        gateway.answer("{\"" + ELEMENT + "\":" + paid + ",\"sign\":\"" + gateway.sign(pending) + "\"}");

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void aSignatureOverReSerializedTextDoesNotVerify() {
        // same JSON value, other spacing: Alipay signs the text, so this is not Alipay's answer
        String compact = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        String spaced = compact.replace(",\"", ", \"").replace("\":\"", "\": \"");
        gateway.answer("{\"" + ELEMENT + "\":" + spaced + ",\"sign\":\"" + gateway.sign(compact) + "\"}");

        assertFails(this::query, Failure.BAD_SIGNATURE);
    }

    @Test
    void spacingAsSentIsVerifiedAsSent() {
        String spaced = "{ \"code\" : \"10000\",\n  \"msg\":\"Success\", \"out_trade_no\":\"" + FLOW_NO
                + "\", \"trade_status\":\"WAIT_BUYER_PAY\", \"total_amount\":\"88.88\" }";
        gateway.answer("{ \"" + ELEMENT + "\" :  " + spaced + " ,\n \"sign\" : \"" + gateway.sign(spaced) + "\" }");

        assertThat(query()).isInstanceOfSatisfying(ChannelReply.Known.class,
                k -> assertThat(k.state()).isEqualTo(ChannelState.PENDING));
    }

    @Test
    void bracesAndEscapedQuotesInStringsAreTextNotStructure() {
        Map<String, String> trade = AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88");
        trade.put("buyer_user_name", "a}b{\"c\\\"}}\\");
        trade.put("subject", "}\",\"sign\":\"x\"} 测试");
        gateway.answerSigned(trade);

        assertThat(query()).isInstanceOfSatisfying(ChannelReply.Known.class,
                k -> assertThat(k.state()).isEqualTo(ChannelState.SUCCESS));
    }

    @Test
    void anAnswerAboutAnotherOrderIsAMismatch() {
        gateway.answerSigned(AlipayFakeGateway.trade("F2026120300000002", "TRADE_SUCCESS", "88.88"));

        assertFails(this::query, Failure.MISMATCH);
    }

    @Test
    void anotherAmountIsAMismatch() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "0.01"));

        assertThatThrownBy(this::query).isInstanceOfSatisfying(ChannelException.class, e -> {
            assertThat(e.failure()).isEqualTo(Failure.MISMATCH);
            assertThat(e.getMessage()).contains("amount").contains("0.01").contains("88.88");
        });
    }

    @Test
    void anotherAmountOfAPendingTradeIsAMismatchToo() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "WAIT_BUYER_PAY", "8.88"));

        assertFails(this::query, Failure.MISMATCH);
    }

    @Test
    void anAnswerThatIsNotJsonIsMalformed() {
        gateway.answer("<html>502 Bad Gateway</html>");

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aCutOffAnswerIsMalformed() {
        String whole = gateway.signed(ELEMENT, AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88")));
        gateway.answer(whole.substring(0, whole.length() - 1));

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void textAfterTheAnswerIsMalformed() {
        gateway.answer(gateway.signed(ELEMENT, AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"))) + "{}");

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aSignedAnswerWithAKeyTwiceIsMalformed() {
        // signed right, but which trade_status is meant? One reader may take the first, another the last
        String content = "{\"code\":\"10000\",\"msg\":\"Success\",\"out_trade_no\":\"" + FLOW_NO
                + "\",\"total_amount\":\"88.88\",\"trade_status\":\"WAIT_BUYER_PAY\",\"trade_status\":\"TRADE_SUCCESS\"}";
        gateway.answer(gateway.signed(ELEMENT, content));

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void anAnswerWithTheResponseTwiceIsMalformed() {
        String pending = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "WAIT_BUYER_PAY", "88.88"));
        String paid = AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));
        gateway.answer("{\"" + ELEMENT + "\":" + pending + ",\"" + ELEMENT + "\":" + paid + ",\"sign\":\"" + gateway.sign(pending) + "\"}");

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void anAnswerWithoutTheResponseIsMalformed() {
        gateway.answer(gateway.signed("alipay_trade_close_response", AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"))));

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void anAnswerOfAHundredKibIsMalformed() {
        Map<String, String> trade = AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88");
        trade.put("body", "x".repeat(100 * 1024));
        gateway.answerSigned(trade);

        assertFails(this::query, Failure.MALFORMED);
    }

    @Test
    void aSlowAnswerIsATimeoutWithinTheTimeout() {
        gateway.answer(params -> new AlipayFakeGateway.Reply(200,
                gateway.signed(ELEMENT, AlipayFakeGateway.json(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"))),
                Duration.ofSeconds(10)));

        long start = System.nanoTime();
        assertFails(() -> channel.query(order("88.88", false), credentials, Duration.ofMillis(300)), Failure.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void http502IsAnHttpStatus() {
        gateway.answer(params -> new AlipayFakeGateway.Reply(502, "Bad Gateway", Duration.ZERO));

        assertFails(this::query, Failure.HTTP_STATUS);
    }

    @Test
    void aRefusedConnectionIsUnreachable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        AlipayChannel nowhere = channelTo(URI.create("http://127.0.0.1:" + port + "/gateway.do"));

        assertFails(() -> nowhere.query(order("88.88", false), credentials, TIMEOUT), Failure.UNREACHABLE);
    }

    @Test
    void noMessageHoldsAKeyOrTheSignedBody() {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "0.01"));

        assertThatThrownBy(this::query).satisfies(e -> assertThat(e.getMessage())
                .doesNotContain(credentials.get("privateKey").substring(40, 80))
                .doesNotContain(gateway.lastRequest().get("sign").substring(0, 40)));
    }

    @Test
    void oneAdapterServesManyCallsAtOnce() throws Exception {
        gateway.answerSigned(AlipayFakeGateway.trade(FLOW_NO, "TRADE_SUCCESS", "88.88"));

        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ChannelReply>> replies = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                replies.add(pool.submit(this::query));
            }
            for (Future<ChannelReply> reply : replies) {
                assertThat(reply.get()).isInstanceOfSatisfying(ChannelReply.Known.class,
                        k -> assertThat(k.state()).isEqualTo(ChannelState.SUCCESS));
            }
        }
        assertThat(gateway.calls()).isEqualTo(32);
    }

    @Test
    void missingCredentialsAreNotConfigured() {
        ChannelCredentials none = new ChannelCredentials("alipay", Map.of("appId", APP_ID));

        assertFails(() -> channel.query(order("88.88", false), none, TIMEOUT), Failure.NOT_CONFIGURED);
        assertThat(gateway.calls()).isZero();
    }
}
