package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.KEY_DISABLED;
import static io.leopard.server.testing.LiveLeopard.MID;
import static io.leopard.server.testing.LiveLeopard.MID_DISABLED;
import static io.leopard.server.web.QueryEndpointsRoutingTest.params;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every protocol failure through the routing table, in memory: code FAIL, the documented errCode,
 * no signature, no leak.
 */
class ProtocolErrorsRoutingTest {
    private static RoutedDemo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(Map.of());
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    static Map<String, String> failure(HttpResponse<String> res, int httpStatus, String errCode) throws Exception {
        assertThat(res.statusCode()).as(res.body()).isEqualTo(httpStatus);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        Map<String, String> f = IndependentVerifier.fields(res.body());
        assertThat(List.copyOf(f.keySet())).as(res.body()).containsExactly("code", "msg", "errCode", "errCodeDes");
        assertThat(f.get("errCodeDes")).isEqualTo(f.get("msg"));
        assertThat(f).containsEntry("code", "FAIL").containsEntry("errCode", errCode);
        assertThat(res.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain(KEY);
        return f;
    }

    private static HttpResponse<String> form(String body) throws Exception {
        return demo.post("/query/single", "application/x-www-form-urlencoded", body);
    }

    private static HttpResponse<String> json(String body) throws Exception {
        return demo.post("/query/single", "application/json", body);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mid", "orderNo", "noise"})
    void missingParameterIsNamed(String name) throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        p.remove(name);
        assertThat(failure(demo.postSigned("/query/single", p, KEY), 200, "PARAM_ERROR").get("msg")).contains(name);
    }

    @Test
    void missingSignIsParamError() throws Exception {
        failure(form("mid=" + MID + "&orderNo=A1&noise=n1"), 200, "PARAM_ERROR");
    }

    @Test
    void malformedBodies() throws Exception {
        String sign = "&sign=0123456789ABCDEF0123456789ABCDEF";
        failure(form(""), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&mid=" + MID + "&orderNo=A1&noise=n1" + sign), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&orderNo=A1&noise=n%01x" + sign), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&orderNo=A1&noise=n1&remark=%FF%FE" + sign), 200, "PARAM_ERROR");
        failure(demo.post("/query/single", "application/x-www-form-urlencoded",
                ("mid=" + MID + "&orderNo=A1&noise=n1&remark=\u00ff").getBytes(StandardCharsets.ISO_8859_1)), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&orderNo=A 1&noise=n1" + sign), 200, "PARAM_ERROR");
        failure(form("mid=12345&orderNo=A1&noise=n1" + sign), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&orderNo=A1&noise=n1&sign=" + "A".repeat(129)), 200, "PARAM_ERROR");
        failure(form("mid=" + MID + "&orderNo=A1&noise=n1&bad%20name=1" + sign), 200, "PARAM_ERROR");
        failure(json(""), 200, "PARAM_ERROR");
        failure(json("{\"mid\":\"" + MID + "\""), 200, "PARAM_ERROR");
        failure(json("[{\"mid\":\"" + MID + "\"}]"), 200, "PARAM_ERROR");
        failure(json("{\"mid\":{\"a\":1}}"), 200, "PARAM_ERROR");
        failure(json("{\"mid\":[1]}"), 200, "PARAM_ERROR");
        failure(json("{\"mid\":true}"), 200, "PARAM_ERROR");
        failure(json("{\"mid\":\"1\",\"mid\":\"2\"}"), 200, "PARAM_ERROR");
        failure(json("{\"mid\":\"" + MID + "\"} trailing"), 200, "PARAM_ERROR");
        failure(json("\"just a string\""), 200, "PARAM_ERROR");
    }

    @Test
    void batchRules() throws Exception {
        StringBuilder fiftyOne = new StringBuilder("A0");
        for (int i = 1; i <= 50; i++) {
            fiftyOne.append(",A").append(i);
        }
        failure(demo.postSigned("/query/multi", params(MID, fiftyOne.toString()), KEY), 200, "PARAM_ERROR");
        failure(demo.postSigned("/query/multi", params(MID, "A1, A2"), KEY), 200, "PARAM_ERROR");
        failure(demo.postSigned("/query/multi", params(MID, "A1,,A2"), KEY), 200, "PARAM_ERROR");
        failure(demo.postSigned("/query/multi", params(MID, " A1"), KEY), 200, "PARAM_ERROR");
        failure(demo.postSigned("/query/single", params(MID, "A1,A2"), KEY), 200, "PARAM_ERROR");
    }

    @Test
    void signTypeOutsideTheListIsUnsupported() throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        p.put("signType", "RSA");
        failure(demo.post("/query/single", null, LiveLeopard.form(p) + "&sign=ABCD"), 200, "SIGN_TYPE_UNSUPPORTED");
    }

    @Test
    void merchantChecks() throws Exception {
        failure(demo.postSigned("/query/single", params("999999999999999", "M1"), KEY), 200, "MERCHANT_NOT_EXIST");
        failure(demo.postSigned("/query/single", params(MID_DISABLED, "M1"), KEY_DISABLED), 200, "MERCHANT_DISABLED");
    }

    @Test
    void signatureChecks() throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        failure(demo.postSigned("/query/single", p, LiveLeopard.KEY2), 200, "SIGN_ERROR");
        String good = IndependentVerifier.sign(p, KEY, "MD5");
        for (String bad : List.of(good.substring(1), good + "A", good.replace(good.charAt(0), good.charAt(0) == 'A' ? 'B' : 'A'),
                "G" + good.substring(1), IndependentVerifier.sign(p, KEY, "SHA256"))) {
            failure(form(LiveLeopard.form(p) + "&sign=" + bad), 200, "SIGN_ERROR");
        }
        // a signature over other values does not pass
        failure(form(LiveLeopard.form(params(MID, "M201611101016180003")) + "&sign=" + good), 200, "SIGN_ERROR");
        // the WeChat-style "key=" prefix is a classic mistake
        String wechatStyle = IndependentVerifier.sign(p, "key=" + KEY, "MD5");
        failure(form(LiveLeopard.form(p) + "&sign=" + wechatStyle), 200, "SIGN_ERROR");
    }

    @Test
    void checksRunInTheProtocolOrder() throws Exception {
        // bad parameters beat an unknown signType, which beats an unknown merchant
        failure(form("mid=999999999999999&orderNo=A%20B&noise=n1&signType=RSA&sign=AB"), 200, "PARAM_ERROR");
        failure(form("mid=999999999999999&orderNo=AB&noise=n1&signType=RSA&sign=AB"), 200, "SIGN_TYPE_UNSUPPORTED");
        failure(form("mid=999999999999999&orderNo=AB&noise=n1&sign=AB"), 200, "MERCHANT_NOT_EXIST");
        failure(form("mid=" + MID_DISABLED + "&orderNo=AB&noise=n1&sign=AB"), 200, "MERCHANT_DISABLED");
    }

    /**
     * A JSON escape can carry a lone surrogate, which has no UTF-8 form: signing it would hash "?"
     * in its place, so a signature made for {@code "?"} would also pass for {@code "\ud800"}.
     */
    @Test
    void loneSurrogateInJsonIsAParamErrorNotAnotherSpellingOfQuestionMark() throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", MID);
        p.put("orderNo", "M201611101010100002");
        p.put("noise", "n1");
        p.put("remark", "?");
        String sign = IndependentVerifier.sign(p, KEY, "MD5");
        String body = "{\"mid\":\"" + MID + "\",\"orderNo\":\"M201611101010100002\",\"noise\":\"n1\","
                + "\"remark\":\"\\ud800\",\"sign\":\"" + sign + "\"}";
        Map<String, String> f = IndependentVerifier.fields(json(body).body());
        assertThat(f).as(body).containsEntry("code", "FAIL").containsEntry("errCode", "PARAM_ERROR");
    }
}
