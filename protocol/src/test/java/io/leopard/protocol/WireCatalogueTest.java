package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The small catalogues of the contract: endpoints, error codes, states, wire values. */
class WireCatalogueTest {

    @Test
    void endpointsAreFoundByTheirExactPath() {
        assertThat(Endpoint.SINGLE.path()).isEqualTo("/query/single");
        assertThat(Endpoint.fromPath("/query/single")).isEqualTo(Endpoint.SINGLE);
        assertThat(Endpoint.fromPath("/query/multi")).isEqualTo(Endpoint.MULTI);
        assertThat(Endpoint.fromPath("/query/brushcard")).isEqualTo(Endpoint.BRUSHCARD);
        assertThat(Endpoint.fromPath("/query/Single")).isNull();
        assertThat(Endpoint.fromPath("/query/single/")).isNull();
        assertThat(Endpoint.fromPath("")).isNull();
    }

    @Test
    void errorCodesCarryTheirHttpStatusAndMessage() {
        assertThat(ErrorCode.SIGN_ERROR.httpStatus()).isEqualTo(200);
        assertThat(ErrorCode.NOT_FOUND.httpStatus()).isEqualTo(404);
        assertThat(ErrorCode.MEDIA_TYPE_UNSUPPORTED.httpStatus()).isEqualTo(415);
        assertThat(ErrorCode.SIGN_ERROR.message()).isEqualTo("签名错误");
        assertThat(BusinessError.ORDER_NOT_EXIST.description()).isEqualTo("订单不存在");
    }

    @Test
    void onlyABusyOrThrottledAnswerIsWorthRetrying() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.isRetryable()).as(code.name())
                    .isEqualTo(code == ErrorCode.SYSTEM_ERROR || code == ErrorCode.FREQUENCY_LIMITED);
        }
    }

    @Test
    void errorCodesAndStatesAreReadByTheirExactName() {
        assertThat(ErrorCode.fromWire("SIGN_ERROR")).isEqualTo(ErrorCode.SIGN_ERROR);
        assertThat(ErrorCode.fromWire("MEDIA_TYPE_UNSUPPORTED")).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED);
        assertThat(ErrorCode.fromWire("sign_error")).isNull();
        assertThat(ErrorCode.fromWire("NEW_CODE")).isNull();
        assertThat(ErrorCode.fromWire(null)).isNull();
        assertThat(OrderState.fromName("REVOKED")).isEqualTo(OrderState.REVOKED);
        assertThat(OrderState.fromName("INIT")).isEqualTo(OrderState.INIT);
        assertThat(OrderState.fromName("success")).isNull();
        assertThat(OrderState.fromName("PAID")).isNull();
    }

    @Test
    void payTimeIsShownForFinishedPaymentsOnly() {
        assertThat(OrderState.SUCCESS.showsPayTimeInQuery()).isTrue();
        assertThat(OrderState.FAILED.showsPayTimeInQuery()).isTrue();
        assertThat(OrderState.INIT.showsPayTimeInQuery()).isFalse();
        assertThat(OrderState.CLOSED.showsPayTimeInQuery()).isFalse();
        assertThat(OrderState.REVOKED.showsPayTimeInQuery()).isFalse();
        assertThat(OrderState.INIT.showsPayTimeInBrushcard()).isFalse();
        assertThat(OrderState.SUCCESS.showsPayTimeInBrushcard()).isTrue();
        assertThat(OrderState.CLOSED.showsPayTimeInBrushcard()).isTrue();
        assertThat(OrderState.REVOKED.showsPayTimeInBrushcard()).isTrue();
    }

    @Test
    void wireValuesAreEqualByKindAndText() {
        assertThat(OrderStatus.SUCCESS.value()).isEqualTo("1");
        assertThat(OrderStatus.SUCCESS.toString()).isEqualTo("1");
        assertThat(OrderStatus.SUCCESS.isKnown()).isTrue();
        assertThat(PayStatus.REVOKED.isKnown()).isTrue();
        assertThat(OrderStatus.SUCCESS.hashCode()).isEqualTo("1".hashCode());
        assertThat(OrderStatus.SUCCESS).isEqualTo(OrderStatus.SUCCESS).isNotEqualTo(OrderStatus.FAILED);
        assertThat((Object) OrderStatus.SUCCESS).as("same text, other kind").isNotEqualTo(PayStatus.PAID);
        assertThat((Object) OrderStatus.SUCCESS).isNotEqualTo("1").isNotEqualTo(null);
    }

    @Test
    void percentEscapesDecodeInEitherHexCase() throws Exception {
        assertThat(FormCodec.decode("a=%e4%B8%ad%2f%2F%3a%7E".getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8))
                .containsEntry("a", "中//:~");
        assertThat(FormCodec.decode("a=%41%5a%61%7a%30%39".getBytes(StandardCharsets.US_ASCII), StandardCharsets.UTF_8))
                .containsEntry("a", "AZaz09");
    }

    @Test
    void untrustedTextInMessagesIsShortAndPrintable() {
        assertThat(ParamRules.printable("ab\u0000c\u001fd\u007fe\"f\\g h")).isEqualTo("ab?c?d?e?f?g h");
        assertThat(ParamRules.printable("\u0020~")).isEqualTo(" ~");
        assertThat(ParamRules.printable("x".repeat(40))).isEqualTo("x".repeat(40));
        assertThat(ParamRules.printable("x".repeat(41))).isEqualTo("x".repeat(40) + "...");
        assertThat(ParamRules.hasControlChar("a\u001fb")).isTrue();
        assertThat(ParamRules.hasControlChar("a\u007fb")).isTrue();
        assertThat(ParamRules.hasControlChar("a b~")).isFalse();
    }
}
