package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The RSA2 sign content and signatures (the SDK agrees: {@link AlipayCrossCheckTest}). */
class AlipaySignTest {

    @Test
    void theContentIsSortedRawAndLeavesOutSignAndEmptyValues() {
        Map<String, String> params = new HashMap<>();
        params.put("timestamp", "2026-12-03 09:02:03");
        params.put("app_id", "2021");
        params.put("sign", "c2ln");
        params.put("notify_url", "");
        params.put("biz_content", "{\"out_trade_no\":\"F1&x=1\",\"subject\":\"测试\"}");
        params.put("method", "alipay.trade.query");

        assertThat(AlipaySign.content(params)).isEqualTo("app_id=2021&biz_content={\"out_trade_no\":\"F1&x=1\",\"subject\":\"测试\"}"
                + "&method=alipay.trade.query&timestamp=2026-12-03 09:02:03");
    }

    @Test
    void whatIsSignedVerifiesAndNothingElse() {
        String content = "{\"code\":\"10000\",\"msg\":\"Success\",\"subject\":\"测试\"}";
        String sign = AlipaySign.sign(content, AlipayTestKeys.ALIPAY.getPrivate());

        assertThat(AlipaySign.verify(content, sign, AlipayTestKeys.ALIPAY.getPublic())).isTrue();
        assertThat(AlipaySign.verify(content.replace(",", ", "), sign, AlipayTestKeys.ALIPAY.getPublic())).isFalse();
        assertThat(AlipaySign.verify(content, sign, AlipayTestKeys.OTHER.getPublic())).isFalse();
        assertThat(AlipaySign.verify(content, "not base64!", AlipayTestKeys.ALIPAY.getPublic())).isFalse();
        assertThat(AlipaySign.verify(content, "c2ln", AlipayTestKeys.ALIPAY.getPublic())).isFalse();
    }

    @Test
    void aRequestIsSignedOverItsContent() {
        Map<String, String> params = Map.of("app_id", "2021", "method", "alipay.trade.close");

        String sign = AlipaySign.sign(params, AlipayTestKeys.APP.getPrivate());

        assertThat(AlipaySign.verify("app_id=2021&method=alipay.trade.close", sign, AlipayTestKeys.APP.getPublic())).isTrue();
    }
}
