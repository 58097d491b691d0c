package io.leopard.server.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.binarywang.wxpay.util.SignUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Our signer against WxJava's (weixin-java-pay 4.7.0), the most used Java client of WeChat Pay v2. */
class WechatSignWxJavaTest {
    /** Names WxJava never signs; WeChat never sends them either ("sign" is left out by both). */
    private static final Set<String> WXJAVA_SKIPS = Set.of("key", "xmlString", "xmlDoc", "couponList");
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String VALUE_CHARS = "abcXYZ019 &=%+/<>]]>\"'中文支付测试-_.:😀";

    @Test
    void signsRandomParametersLikeWxJava() {
        for (int seed = 0; seed < 500; seed++) {
            Random random = new Random(seed);
            Map<String, String> params = randomParams(random);
            String key = random(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 32);

            assertThat(WechatSign.MD5.sign(params, key)).as("MD5, seed %d: %s", seed, params)
                    .isEqualTo(SignUtils.createSign(params, "MD5", key, new String[0]));
            assertThat(WechatSign.HMAC_SHA256.sign(params, key)).as("HMAC-SHA256, seed %d: %s", seed, params)
                    .isEqualTo(SignUtils.createSign(params, "HMAC-SHA256", key, new String[0]));
        }
    }

    @Test
    void wxJavaSignsWechatsPublishedExampleAsWeDo() {
        Map<String, String> example = Map.of("appid", "wxd930ea5d5a258f4f", "mch_id", "10000100",
                "device_info", "1000", "body", "test", "nonce_str", "ibuaiVcKdpRxkhJA");
        String key = "192006250b4c09247ec02edce69f6a2d";
        assertThat(SignUtils.createSign(example, "MD5", key, new String[0])).isEqualTo("9A0A8659F005D6984697E2CA0A9CF3B7");
        assertThat(SignUtils.createSign(example, "HMAC-SHA256", key, new String[0]))
                .isEqualTo("6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
    }

    private static Map<String, String> randomParams(Random random) {
        Map<String, String> params = new HashMap<>();
        int n = 1 + random.nextInt(15);
        while (params.size() < n) {
            String name = random(random, NAME_CHARS, 1 + random.nextInt(12));
            if (WXJAVA_SKIPS.contains(name)) {
                continue;
            }
            // now and then an empty value, which neither signs
            params.put(name, random.nextInt(6) == 0 ? "" : random(random, VALUE_CHARS, 1 + random.nextInt(30)));
        }
        if (random.nextBoolean()) {
            params.put("sign", "SOMETHING");
        }
        return params;
    }

    private static String random(Random random, String chars, int length) {
        int[] points = chars.codePoints().toArray();
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(points[random.nextInt(points.length)]);
        }
        return s.toString();
    }
}
