package io.leopard.server.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WechatSignTest {
    /** WeChat Pay's published example (API v2, "安全规范 / 签名算法"). */
    private static final Map<String, String> EXAMPLE = Map.of(
            "appid", "wxd930ea5d5a258f4f",
            "mch_id", "10000100",
            "device_info", "1000",
            "body", "test",
            "nonce_str", "ibuaiVcKdpRxkhJA");
    private static final String EXAMPLE_KEY = "192006250b4c09247ec02edce69f6a2d";

    @Test
    void signsWechatsPublishedExampleWithMd5() {
        assertThat(WechatSign.MD5.sign(EXAMPLE, EXAMPLE_KEY)).isEqualTo("9A0A8659F005D6984697E2CA0A9CF3B7");
    }

    @Test
    void signsWechatsPublishedExampleWithHmacSha256() {
        assertThat(WechatSign.HMAC_SHA256.sign(EXAMPLE, EXAMPLE_KEY))
                .isEqualTo("6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
    }

    @Test
    void leavesOutEmptyValuesAndTheSignItself() {
        Map<String, String> params = new HashMap<>(EXAMPLE);
        params.put("attach", "");
        params.put("sign", "WHATEVER");
        assertThat(WechatSign.MD5.sign(params, EXAMPLE_KEY)).isEqualTo("9A0A8659F005D6984697E2CA0A9CF3B7");
    }

    @Test
    void verifiesTheRightSignAndRefusesAnyOther() {
        Map<String, String> signed = new HashMap<>(EXAMPLE);
        signed.put("sign", "9A0A8659F005D6984697E2CA0A9CF3B7");
        assertThat(WechatSign.MD5.verify(signed, EXAMPLE_KEY)).isTrue();
        signed.put("sign", "9a0a8659f005d6984697e2ca0a9cf3b7");
        assertThat(WechatSign.MD5.verify(signed, EXAMPLE_KEY)).as("hex case is not significant").isTrue();

        assertThat(WechatSign.HMAC_SHA256.verify(signed, EXAMPLE_KEY)).as("another sign type").isFalse();
        assertThat(WechatSign.MD5.verify(signed, "0".repeat(32))).as("another key").isFalse();
        signed.put("body", "test2");
        assertThat(WechatSign.MD5.verify(signed, EXAMPLE_KEY)).as("a changed field").isFalse();
        signed.remove("sign");
        assertThat(WechatSign.MD5.verify(signed, EXAMPLE_KEY)).as("no sign").isFalse();
        signed.put("sign", "");
        assertThat(WechatSign.MD5.verify(signed, EXAMPLE_KEY)).as("an empty sign").isFalse();
    }

    @Test
    void knowsTheTwoSignTypesByTheirWireNames() {
        assertThat(WechatSign.of("MD5")).contains(WechatSign.MD5);
        assertThat(WechatSign.of("hmac-sha256")).contains(WechatSign.HMAC_SHA256);
        assertThat(WechatSign.of("SHA1")).isEmpty();
        assertThat(WechatSign.HMAC_SHA256.wireName()).isEqualTo("HMAC-SHA256");
    }
}
