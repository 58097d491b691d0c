package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayStatus;
import io.leopard.protocol.PayType;
import io.leopard.server.testing.LiveLeopard;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseVerificationTest {
    private static final String NO = "M201611101010100002";
    private final FakeTransport transport = new FakeTransport();
    private final LeopardClient client = client(transport, new FakeTicker()).retryPolicy(RetryPolicy.none()).build();

    private SingleResult answer(String body) {
        transport.then(body);
        return client.querySingle(NO);
    }

    @Test
    void aCorrectlySignedAnswerIsReadWithItsTypes() {
        OrderResult o = answer(signed(singleAnswer(NO))).order();
        assertThat(o.orderNo()).isEqualTo(NO);
        assertThat(o.flowNo()).isEqualTo("20161101010100198763");
        assertThat(o.tradeNo()).isEqualTo("1217752501201407033233368018");
        assertThat(o.amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(o.amount().scale()).isEqualTo(2);
        assertThat(o.type()).isEqualTo(PayType.WECHAT);
        assertThat(o.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(o.isPaid()).isTrue();
        assertThat(o.orderTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 10, 10));
        assertThat(o.payInstant()).isEqualTo(Instant.parse("2016-11-10T02:13:23Z"));
    }

    @Test
    void amountsKeepTheirLiteralTextForTheSignatureAndTheirScale() {
        var fields = singleAnswer(NO);
        fields.put("amount", new BigDecimal("5230.10"));
        assertThat(answer(signed(fields)).order().amount()).hasToString("5230.10");
        fields.put("amount", new BigDecimal("100.00"));
        assertThat(answer(signed(fields)).order().amount()).hasToString("100.00");
    }

    @Test
    void oneFieldChangedAfterSigningIsRejected() {
        String body = signed(singleAnswer(NO)).replace("\"status\":\"1\"", "\"status\":\"2\"");
        assertThatThrownBy(() -> answer(body)).isInstanceOf(LeopardSignatureException.class);
        String amount = signed(singleAnswer(NO)).replace("5230.00", "5230.0");
        assertThatThrownBy(() -> answer(amount)).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void aFieldRemovedAfterSigningIsRejected() {
        var fields = singleAnswer(NO);
        String sign = md5(fields);
        fields.remove("payTime");
        fields.put("sign", sign);
        assertThatThrownBy(() -> answer(json(fields))).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void aFieldAddedAfterSigningIsRejected() {
        var fields = singleAnswer(NO);
        fields.put("sign", md5(fields));
        fields.put("extra", "x");
        assertThatThrownBy(() -> answer(json(fields))).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void anAnswerWithoutSignatureIsRejected() {
        assertThatThrownBy(() -> answer(json(singleAnswer(NO))))
                .isInstanceOf(LeopardSignatureException.class).hasMessageContaining("not signed");
    }

    @Test
    void aSignatureWithAnotherKeyIsRejectedAndTheKeyIsNotInTheMessage() {
        var fields = singleAnswer(NO);
        fields.put("sign", sign(fields, "another-key", "MD5"));
        assertThatThrownBy(() -> answer(json(fields)))
                .isInstanceOf(LeopardSignatureException.class)
                .message().doesNotContain(KEY);
    }

    @Test
    void unknownFieldsCoveredByTheSignatureAreAccepted() {
        var fields = singleAnswer(NO);
        fields.put("promotion", "none");
        fields.put("discount", new BigDecimal("0.00"));
        assertThat(answer(signed(fields)).order().amount()).isEqualTo(new BigDecimal("5230.00"));
    }

    @Test
    void unknownStatusAndTypeAreKept() {
        var fields = singleAnswer(NO);
        fields.put("status", "7");
        fields.put("type", "unionpay");
        OrderResult o = answer(signed(fields)).order();
        assertThat(o.status().isKnown()).isFalse();
        assertThat(o.status().value()).isEqualTo("7");
        assertThat(o.type().value()).isEqualTo("unionpay");
    }

    @Test
    void orderNotExistIsAResultNotAnException() {
        SingleResult r = answer(signed(notExist()));
        assertThat(r.isFound()).isFalse();
        assertThat(r.orderNo()).isEqualTo(NO);
        transport.then(signed(notExist()));
        assertThat(client.queryBrushcard(NO).isFound()).isFalse();
    }

    @Test
    void anUnsignedNotExistIsRejected() {
        assertThatThrownBy(() -> answer(json(notExist()))).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void protocolFailuresCarryErrCodeAndMsg() {
        assertThatThrownBy(() -> answer(fail("SIGN_ERROR", "签名错误")))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
                    assertThat(e.errCode()).isEqualTo("SIGN_ERROR");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGN_ERROR);
                    assertThat(e.msg()).isEqualTo("签名错误");
                    assertThat(e.isBusinessError()).isFalse();
                });
        assertThatThrownBy(() -> answer(fail("NEW_CODE", "?")))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> assertThat(e.errorCode()).isNull());
    }

    @Test
    void answersThatAreNotFlatObjectsAreTransportFailures() {
        for (String body : List.of("<html>bad gateway</html>", "[]", "{\"code\":\"SUCCESS\",\"x\":{}}",
                "{\"code\":\"SUCCESS\",\"x\":true}", "{\"code\":\"SUCCESS\",\"x\":null}", "{\"code\":\"SUCCESS\",\"x\":[1]}",
                "{\"code\":\"SUCCESS\",\"code\":\"FAIL\"}", "{\"code\":\"SUCCESS\"} {}", "")) {
            assertThatThrownBy(() -> answer(body)).as(body).isInstanceOf(LeopardTransportException.class);
        }
    }

    @Test
    void aSignedAnswerForAnotherOrderOrMerchantIsRejected() {
        assertThatThrownBy(() -> answer(signed(singleAnswer("OTHER1"))))
                .isInstanceOf(LeopardResponseException.class).hasMessageContaining("OTHER1");
        var fields = singleAnswer(NO);
        fields.put("mid", LiveLeopard.MID2);
        assertThatThrownBy(() -> answer(signed(fields))).isInstanceOf(LeopardResponseException.class);
    }

    @Test
    void aSignedAnswerWithAMalformedAmountIsRejected() {
        var fields = singleAnswer(NO);
        fields.put("amount", new BigDecimal("5.23E+3"));
        assertThatThrownBy(() -> answer(signed(fields))).isInstanceOf(LeopardResponseException.class);
    }

    @Test
    void brushcardAnswersAreVerifiedAndTyped() {
        var fields = brushcardAnswer(NO, "1");
        fields.put("payTime", "20161110103100");
        transport.then(signed(fields));
        BrushcardResult r = client.queryBrushcard(NO);
        assertThat(r.payStatus()).isEqualTo(PayStatus.PAID);
        assertThat(r.orderAmount()).hasToString("88.00");
        assertThat(r.succAmount()).hasToString("88.00");
        assertThat(r.payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 31));
        assertThat(r.confirmTime()).as("absent: no channel confirmed it").isNull();
        fields.put("confirmTime", "20161110103105");
        transport.then(signed(fields));
        assertThat(client.queryBrushcard(NO).confirmTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 31, 5));

        transport.then(signed(fields).replace("\"payStatus\":\"1\"", "\"payStatus\":\"10\""));
        assertThatThrownBy(() -> client.queryBrushcard(NO)).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void theOrdersStringIsVerifiedAsReceived() {
        // Whitespace and key order a re-serialiser would change: the signature covers this exact text.
        String orders = "[{\"orderNo\": \"A1\", \"flowNo\":\"F1\",\"amount\":12.50,\"type\":\"alipay\",\"status\":\"0\","
                + "\"orderTime\":\"20161110101010\"} ,{\"orderNo\":\"B2\",\"status\":\"6\"}]";
        LinkedHashMap<String, Object> fields = success();
        fields.put("orders", orders);
        transport.then(signed(fields));
        MultiResult r = client.queryMulti(List.of("A1", "B2"));
        assertThat(r.orders()).extracting(OrderResult::orderNo).containsExactly("A1", "B2");
        assertThat(r.get("A1").amount()).hasToString("12.50");
        assertThat(r.get("A1").status()).isEqualTo(OrderStatus.INITIAL);
        assertThat(r.get("B2").isFound()).isFalse();

        String tampered = signed(fields).replace("\\\"status\\\":\\\"0\\\"", "\\\"status\\\":\\\"1\\\"");
        assertThat(tampered).isNotEqualTo(signed(fields));
        transport.then(tampered);
        assertThatThrownBy(() -> client.queryMulti(List.of("A1", "B2"))).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void aBatchAnswerMissingAnOrderIsRejected() {
        LinkedHashMap<String, Object> fields = success();
        fields.put("orders", "[{\"orderNo\":\"A1\",\"status\":\"6\"}]");
        transport.then(signed(fields));
        assertThatThrownBy(() -> client.queryMulti(List.of("A1", "B2"))).isInstanceOf(LeopardResponseException.class);
    }

    @Test
    void escapedStringsAreVerifiedDecoded() {
        var fields = singleAnswer(NO);
        fields.put("msg", "o\"k \u6210\u529f");
        String body = signed(fields).replace("\u6210\u529f", "\\u6210\\u529f");
        assertThat(body.getBytes(StandardCharsets.UTF_8)).isNotEmpty();
        assertThat(answer(body).isFound()).isTrue();
    }
}
