package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelException.Failure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cut of the signed text out of an answer: exactly the response object as sent, whatever its strings hold. */
class AlipayEnvelopeTest {
    private static final String ELEMENT = "alipay_trade_query_response";

    private static AlipayEnvelope read(String answer) {
        return AlipayEnvelope.read(answer, ELEMENT);
    }

    @Test
    void theContentIsTheObjectsTextAsSent() {
        String content = "{ \"code\":\"10000\" ,\"msg\" : \"Success\",\n\t\"fund_bill_list\":[{\"amount\":\"1.00\",\"fund_channel\":\"ALIPAYACCOUNT\"}] }";

        AlipayEnvelope envelope = read("{\"" + ELEMENT + "\":  " + content + "  ,\"sign\":\"c2ln\"}");

        assertThat(envelope.element()).isEqualTo(ELEMENT);
        assertThat(envelope.content()).isEqualTo(content);
        assertThat(envelope.sign()).isEqualTo("c2ln");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "a}b",
            "}}}",
            "{{{",
            "\\\"}",
            "\\\\",
            "\\\\\\\"}\\\\",
            "\\u007d\\u0022",
            "\\/}",
            "😀}测试",
            "\\\",\\\"sign\\\":\\\"forged\\\"}",
    })
    void bracesQuotesAndEscapesInStringsAreText(String raw) {
        String content = "{\"code\":\"10000\",\"subject\":\"" + raw + "\",\"out_trade_no\":\"F1\"}";

        AlipayEnvelope envelope = read("{\"" + ELEMENT + "\":" + content + ",\"sign\":\"c2ln\"}");

        assertThat(envelope.content()).isEqualTo(content);
        assertThat(envelope.sign()).isEqualTo("c2ln");
    }

    @Test
    void onlyTheTopLevelSignCounts() {
        String content = "{\"code\":\"10000\",\"sign\":\"inner\",\"nested\":{\"sign\":\"deeper\"}}";

        AlipayEnvelope envelope = read("{\"" + ELEMENT + "\":" + content + "}");

        assertThat(envelope.content()).isEqualTo(content);
        assertThat(envelope.sign()).isNull();
    }

    @Test
    void theElementsNameInsideAStringIsNotTheElement() {
        String content = "{\"code\":\"10000\"}";
        String answer = "{\"note\":\"\\\"" + ELEMENT + "\\\":{\\\"code\\\":\\\"40004\\\"}\",\"" + ELEMENT + "\":" + content + ",\"sign\":\"c2ln\"}";

        assertThat(read(answer).content()).isEqualTo(content);
    }

    @Test
    void gatewayErrorsComeAsErrorResponse() {
        String content = "{\"code\":\"40002\",\"msg\":\"Invalid Arguments\",\"sub_code\":\"isv.invalid-app-id\"}";

        AlipayEnvelope envelope = read("{\"error_response\":" + content + "}");

        assertThat(envelope.element()).isEqualTo("error_response");
        assertThat(envelope.content()).isEqualTo(content);
        assertThat(envelope.sign()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "[]",
            "\"text\"",
            "{}",
            "{\"alipay_trade_query_response\":\"10000\",\"sign\":\"c2ln\"}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"},\"sign\":42}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"},\"sign\":\"a\",\"sign\":\"b\"}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"},\"alipay_trade_query_response\":{\"code\":\"10000\"}}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"},\"error_response\":{\"code\":\"40002\"}}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"}}{}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"}} x",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\"}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\",}}",
            "{\"alipay_trade_query_response\":{\"code\":\"10000\",\"code\":\"10000\"}}",
            "{'alipay_trade_query_response':{'code':'10000'}}",
    })
    void anythingElseIsMalformed(String answer) {
        assertThatThrownBy(() -> read(answer)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(Failure.MALFORMED));
    }
}
