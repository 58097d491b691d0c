package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import com.alipay.api.SignItem;
import com.alipay.api.internal.parser.json.JsonConverter;
import com.alipay.api.internal.util.AlipaySignature;
import com.alipay.api.request.AlipayTradeCancelRequest;
import com.alipay.api.request.AlipayTradeCloseRequest;
import com.alipay.api.request.AlipayTradeQueryRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our RSA2 signer and our cut of the signed answer text against Alipay's own Java SDK
 * ({@code com.alipay.sdk:alipay-sdk-java}, test scope only): what one signs the other verifies,
 * and both read the same signed text out of an answer.
 */
class AlipayCrossCheckTest {
    private static final String APP_PUBLIC = AlipayTestKeys.base64(AlipayTestKeys.APP.getPublic().getEncoded());
    private static final String APP_PRIVATE = AlipayTestKeys.base64(AlipayTestKeys.APP.getPrivate().getEncoded());
    private static final String ALIPAY_PUBLIC = AlipayTestKeys.base64(AlipayTestKeys.ALIPAY.getPublic().getEncoded());
    private static final String ALIPAY_PRIVATE = AlipayTestKeys.base64(AlipayTestKeys.ALIPAY.getPrivate().getEncoded());

    /** Parameters with what can go wrong in a sign content: non-ASCII, separators in values, an empty value. */
    private static Map<String, String> awkwardParams() {
        Map<String, String> params = new HashMap<>();
        params.put("app_id", "2021004100000001");
        params.put("method", "alipay.trade.query");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", "2026-12-03 09:02:03");
        params.put("version", "1.0");
        params.put("notify_url", "");
        params.put("biz_content", "{\"out_trade_no\":\"F1&a=b\",\"subject\":\"测试 订单+%20\"}");
        return params;
    }

    @Test
    void theSdkVerifiesOurRequestSignatures() throws Exception {
        Map<String, String> params = AlipayRequest.params("2021004100000001", "alipay.trade.query",
                Map.of("out_trade_no", "F2026120300000001", "subject", "测试 & =订单"), Instant.parse("2026-12-03T01:02:03Z"),
                AlipayTestKeys.APP.getPrivate());

        // rsaCheckV2: everything but sign is signed, as the gateway checks a request
        assertThat(AlipaySignature.rsaCheckV2(new HashMap<>(params), APP_PUBLIC, "utf-8", "RSA2")).isTrue();
    }

    @Test
    void theSignContentIsTheSdks() {
        Map<String, String> params = awkwardParams();
        String ours = AlipaySign.content(params);

        assertThat(ours).isEqualTo(AlipaySignature.getSignContent(params));
        params.put("sign", "c2lnbg==");
        assertThat(AlipaySign.content(params)).isEqualTo(ours).isEqualTo(AlipaySignature.getSignCheckContentV2(params));
    }

    @Test
    void signaturesAreTheSdksToTheByte() throws Exception {
        // PKCS#1 v1.5 signatures are deterministic: the same key and text give the same signature
        String content = AlipaySign.content(awkwardParams());
        String ours = AlipaySign.sign(content, AlipayTestKeys.APP.getPrivate());

        assertThat(ours).isEqualTo(AlipaySignature.rsaSign(content, APP_PRIVATE, "utf-8", "RSA2"));
        assertThat(AlipaySignature.rsaCheck(content, ours, APP_PUBLIC, "utf-8", "RSA2")).isTrue();
        assertThat(AlipaySignature.rsa256CheckContent(content, ours, APP_PUBLIC, "utf-8")).isTrue();
    }

    @Test
    void weVerifyWhatTheSdkSigns() throws Exception {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"测试\"}";
        String sdk = AlipaySignature.rsaSign(content, ALIPAY_PRIVATE, "utf-8", "RSA2");

        assertThat(AlipaySign.verify(content, sdk, AlipayTestKeys.ALIPAY.getPublic())).isTrue();
        assertThat(AlipaySign.verify(content + " ", sdk, AlipayTestKeys.ALIPAY.getPublic())).isFalse();
    }

    static Stream<String> answers() {
        String trade = AlipayFakeGateway.json(AlipayFakeGateway.trade("F2026120300000001", "TRADE_SUCCESS", "88.88"));
        String spaced = "{ \"code\" : \"10000\",\n \"msg\":\"Success\" ,\"out_trade_no\":\"F1\" }";
        String tricky = "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"a}b{\\\"c\\\\\\\"}}\\\\\",\"out_trade_no\":\"F1\"}";
        String error = AlipayFakeGateway.json(AlipayFakeGateway.error("40004", "ACQ.TRADE_NOT_EXIST"));
        return Stream.of(
                signed("alipay_trade_query_response", trade),
                signed("alipay_trade_query_response", spaced),
                signed("alipay_trade_query_response", tricky),
                signed("error_response", error),
                // sign first, and another top-level member Alipay adds in certificate mode
                "{\"sign\":\"" + AlipayFakeGateway.sign(AlipayTestKeys.ALIPAY.getPrivate(), trade)
                        + "\",\"alipay_cert_sn\":\"f1e2\",\"alipay_trade_query_response\":" + trade + "}");
    }

    private static String signed(String element, String content) {
        return AlipayFakeGateway.signedBy(AlipayTestKeys.ALIPAY.getPrivate(), element, content);
    }

    @ParameterizedTest
    @MethodSource("answers")
    void weCutTheSameSignedTextOutOfAnAnswerAsTheSdk(String answer) throws Exception {
        SignItem sdk = new JsonConverter().getSignItem(new AlipayTradeQueryRequest(), answer);
        AlipayEnvelope ours = AlipayEnvelope.read(answer, "alipay_trade_query_response");

        assertThat(ours.content()).isEqualTo(sdk.getSignSourceDate());
        assertThat(ours.sign()).isEqualTo(sdk.getSign());
        assertThat(AlipaySignature.rsaCheck(ours.content(), ours.sign(), ALIPAY_PUBLIC, "utf-8", "RSA2")).isTrue();
        assertThat(AlipayAnswer.verify(answer, "alipay_trade_query_response", AlipayTestKeys.ALIPAY.getPublic())).isNotNull();
    }

    @Test
    void theResponseElementIsNamedAsTheSdkNamesIt() {
        Map<String, com.alipay.api.AlipayRequest<?>> requests = new LinkedHashMap<>();
        requests.put(AlipayQuery.METHOD, new AlipayTradeQueryRequest());
        requests.put(AlipayCancel.CLOSE, new AlipayTradeCloseRequest());
        requests.put(AlipayCancel.CANCEL, new AlipayTradeCancelRequest());

        requests.forEach((method, request) -> assertThat(request.getApiMethodName()).isEqualTo(method));
        assertThat(AlipayQuery.ELEMENT).isEqualTo(AlipayCancel.element(AlipayQuery.METHOD));
        assertThat(AlipayCancel.element(AlipayCancel.CANCEL)).isEqualTo("alipay_trade_cancel_response");
        assertThat(AlipayCancel.element(AlipayCancel.CLOSE)).isEqualTo("alipay_trade_close_response");
    }
}
