package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.CancelReply.Outcome;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ending an order: {@code alipay.trade.cancel} for card-present orders, {@code alipay.trade.close} for the others. */
class AlipayCancelTest extends AlipayGatewayFixture {

    private CancelReply cancel(boolean cardPresent) {
        return channel.cancel(order("88.88", cardPresent), credentials, TIMEOUT);
    }

    private static Map<String, String> cancelled(String outTradeNo, String action, String retryFlag) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("code", "10000");
        content.put("msg", "Success");
        content.put("out_trade_no", outTradeNo);
        content.put("retry_flag", retryFlag);
        content.put("trade_no", "2026120322001404500512345678");
        if (action != null) {
            content.put("action", action);
        }
        return content;
    }

    private static Map<String, String> closed(String outTradeNo) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("code", "10000");
        content.put("msg", "Success");
        content.put("out_trade_no", outTradeNo);
        content.put("trade_no", "2026120322001404500512345678");
        return content;
    }

    @Test
    void aCardPresentOrderIsCancelledAndAnotherClosed() {
        gateway.answerSigned(cancelled(FLOW_NO, "close", "N"));
        cancel(true);
        assertThat(gateway.lastRequest()).containsEntry("method", "alipay.trade.cancel");
        assertThat(gateway.lastRequest().get("biz_content")).isEqualTo("{\"out_trade_no\":\"" + FLOW_NO + "\"}");

        gateway.answerSigned(closed(FLOW_NO));
        cancel(false);
        assertThat(gateway.lastRequest()).containsEntry("method", "alipay.trade.close");
        assertThat(gateway.calls()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"close, CLOSED", "refund, REVOKED"})
    void aCancelSaysWhatItDid(String action, Outcome outcome) {
        gateway.answerSigned(cancelled(FLOW_NO, action, "N"));

        assertThat(cancel(true).outcome()).isEqualTo(outcome);
    }

    @Test
    void aCancelToRetryIsTryAgain() {
        Map<String, String> answer = AlipayFakeGateway.error("40004", "ACQ.TRADE_CANCEL_TIME_OUT");
        answer.put("retry_flag", "Y");
        gateway.answerSigned(answer);

        assertThat(cancel(true).outcome()).isEqualTo(Outcome.TRY_AGAIN);
    }

    @Test
    void aCancelWithoutActionIsMalformed() {
        gateway.answerSigned(cancelled(FLOW_NO, null, "N"));

        assertThatThrownBy(() -> cancel(true)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED));
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void aSuccessAboutAnotherOrderIsAMismatch(boolean cardPresent) {
        gateway.answerSigned(cardPresent ? cancelled("F2026120300000002", "close", "N") : closed("F2026120300000002"));

        assertThatThrownBy(() -> cancel(cardPresent)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.MISMATCH));
    }

    @Test
    void aClosedTradeIsClosed() {
        gateway.answerSigned(closed(FLOW_NO));

        CancelReply reply = cancel(false);
        assertThat(reply.outcome()).isEqualTo(Outcome.CLOSED);
        assertThat(reply.detail()).contains("10000");
    }

    @ParameterizedTest
    @CsvSource({
            "true,  40004, ACQ.TRADE_NOT_EXIST,    NOT_KNOWN",
            "false, 40004, ACQ.TRADE_NOT_EXIST,    NOT_KNOWN",
            "false, 40004, ACQ.TRADE_STATUS_ERROR, PAID",
            "true,  40004, ACQ.SYSTEM_ERROR,       TRY_AGAIN",
            "false, 40004, ACQ.SYSTEM_ERROR,       TRY_AGAIN",
            "false, 20000, isp.unknow-error,       TRY_AGAIN",
    })
    void errorsThatSaySomething(boolean cardPresent, String code, String subCode, Outcome outcome) {
        gateway.answerSigned(AlipayFakeGateway.error(code, subCode));

        assertThat(cancel(cardPresent).outcome()).isEqualTo(outcome);
    }

    @ParameterizedTest
    @CsvSource({"true, ACQ.TRADE_STATUS_ERROR", "false, ACQ.INVALID_PARAMETER", "true, isv.insufficient-isv-permissions"})
    void otherErrorsAreRefusals(boolean cardPresent, String subCode) {
        gateway.answerSigned(AlipayFakeGateway.error("40004", subCode));

        assertThatThrownBy(() -> cancel(cardPresent)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.REFUSED));
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void aWrongSignatureIsABadSignature(boolean cardPresent) {
        gateway.answer(params -> AlipayFakeGateway.Reply.ok(AlipayFakeGateway.signedBy(AlipayTestKeys.OTHER.getPrivate(),
                AlipayFakeGateway.element(params), AlipayFakeGateway.json(cardPresent ? cancelled(FLOW_NO, "close", "N") : closed(FLOW_NO)))));

        assertThatThrownBy(() -> cancel(cardPresent)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.BAD_SIGNATURE));
    }

    @Test
    void anUnsignedNotExistChangesNothing() {
        // NOT_KNOWN closes the order locally: an unsigned answer must not get there
        gateway.answer(params -> AlipayFakeGateway.Reply.ok(AlipayFakeGateway.unsigned(AlipayFakeGateway.element(params),
                AlipayFakeGateway.json(AlipayFakeGateway.error("40004", "ACQ.TRADE_NOT_EXIST")))));

        assertThatThrownBy(() -> cancel(false)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.REFUSED));
    }

    @Test
    void theAnswerOfAnotherMethodIsMalformed() {
        gateway.answer(gateway.signed("alipay_trade_cancel_response", AlipayFakeGateway.json(cancelled(FLOW_NO, "close", "N"))));

        assertThatThrownBy(() -> cancel(false)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED));
    }
}
