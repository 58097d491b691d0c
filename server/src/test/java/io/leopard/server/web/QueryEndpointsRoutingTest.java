package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY2;
import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID2;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The three endpoints through the routing table on the demo fixture, in memory, answers checked by an independent verifier. */
class QueryEndpointsRoutingTest {
    private static RoutedDemo demo;

    @BeforeAll
    static void start() throws Exception {
        demo = RoutedDemo.start(Map.of());
    }

    @AfterAll
    static void stop() {
        demo.close();
    }

    static Map<String, String> params(String mid, String orderNo) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "e2eNoise_1");
        return p;
    }

    /** Posts, checks HTTP 200, JSON type, a verified signature, and returns the fields. */
    static Map<String, String> signedAnswer(String path, Map<String, String> params, String key) throws Exception {
        HttpResponse<String> res = demo.postSigned(path, params, key);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type")).hasValue("application/json; charset=UTF-8");
        assertThat(res.body()).doesNotContain("null");
        Map<String, String> fields = IndependentVerifier.fields(res.body());
        assertThat(fields.get("code")).as(res.body()).isEqualTo("SUCCESS");
        assertThat(IndependentVerifier.verify(fields, key, params.getOrDefault("signType", "MD5"))).as(res.body()).isTrue();
        assertThat(fields.get("noise")).matches("[A-Za-z0-9]{32}");
        assertThat(fields.get("mid")).isEqualTo(params.get("mid"));
        assertThat(fields.get("reqNoise")).as("bound to its request").isEqualTo(params.get("noise"));
        return fields;
    }

    @Test
    void singlePaidOrderHasEveryFieldInOrder() throws Exception {
        HttpResponse<String> res = demo.postSigned("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(res.body()).contains("\"amount\":5230.00,");
        Map<String, String> f = signedAnswer("/query/single", params(MID, "M201611101010100002"), KEY);
        assertThat(List.copyOf(f.keySet())).containsExactly("code", "msg", "resultCode", "mid", "noise", "orderNo",
                "flowNo", "tradeNo", "amount", "type", "status", "orderTime", "payTime", "reqNoise", "sign");
        assertThat(f).containsEntry("msg", "ok").containsEntry("resultCode", "SUCCESS")
                .containsEntry("flowNo", "20161101010100198763").containsEntry("tradeNo", "1217752501201407033233368018")
                .containsEntry("amount", "5230.00").containsEntry("type", "wechat").containsEntry("status", "1")
                .containsEntry("orderTime", "20161110101010").containsEntry("payTime", "20161110101323");
    }

    @Test
    void statusMappingAndPayTimeRules() throws Exception {
        Map<String, String> init = signedAnswer("/query/single", params(MID, "M201611101010100011"), KEY);
        assertThat(init).containsEntry("status", "0").containsEntry("amount", "88.80").doesNotContainKeys("tradeNo", "payTime");
        Map<String, String> failed = signedAnswer("/query/single", params(MID, "19895074304585363210811455355824"), KEY);
        assertThat(failed).containsEntry("status", "2").containsEntry("amount", "0.01").containsEntry("payTime", "20161110102105");
        Map<String, String> closed = signedAnswer("/query/single", params(MID, "C201611101040000001"), KEY);
        assertThat(closed).containsEntry("status", "3").containsEntry("type", "QQwallet").doesNotContainKey("payTime");
        Map<String, String> revoked = signedAnswer("/query/single", params(MID, "B201611101030000003"), KEY);
        assertThat(revoked).containsEntry("status", "3").doesNotContainKey("payTime");
    }

    @Test
    void merchantsSeeOnlyTheirOwnOrders() throws Exception {
        Map<String, String> theirs = signedAnswer("/query/single", params(MID2, "M201611101010100002"), KEY2);
        assertThat(theirs).containsEntry("flowNo", "20161110105000198776").containsEntry("type", "jd")
                .containsEntry("amount", "1.00");
        Map<String, String> notMine = signedAnswer("/query/single", params(MID, "X201611101050000001"), KEY);
        assertThat(notMine).containsEntry("resultCode", "FAIL").containsEntry("errCode", "ORDER_NOT_EXIST")
                .containsEntry("errCodeDes", "订单不存在").containsEntry("orderNo", "X201611101050000001")
                .doesNotContainKeys("flowNo", "amount");
        Map<String, String> batch = signedAnswer("/query/multi", params(MID2, "X201611101050000001,B201611101030000001"), KEY2);
        assertThat(batch.get("orders")).contains("\"orderNo\":\"X201611101050000001\",\"flowNo\"")
                .contains("{\"orderNo\":\"B201611101030000001\",\"status\":\"6\"}");
        Map<String, String> card = signedAnswer("/query/brushcard", params(MID2, "B201611101030000001"), KEY2);
        assertThat(card).containsEntry("errCode", "ORDER_NOT_EXIST");
    }

    @Test
    void batchAnswersOneElementPerDistinctNumberInRequestOrder() throws Exception {
        Map<String, String> f = signedAnswer("/query/multi",
                params(MID, "M201611101010100011,NOPE1,M201611101010100002,M201611101010100011"), KEY);
        assertThat(List.copyOf(f.keySet())).containsExactly("code", "msg", "resultCode", "mid", "noise", "orders", "reqNoise", "sign");
        assertThat(f.get("orders")).isEqualTo("["
                + "{\"orderNo\":\"M201611101010100011\",\"flowNo\":\"20161110101010198770\",\"amount\":88.80,"
                + "\"type\":\"alipay\",\"status\":\"0\",\"orderTime\":\"20161110101010\"},"
                + "{\"orderNo\":\"NOPE1\",\"status\":\"6\"},"
                + "{\"orderNo\":\"M201611101010100002\",\"flowNo\":\"20161101010100198763\","
                + "\"tradeNo\":\"1217752501201407033233368018\",\"amount\":5230.00,\"type\":\"wechat\",\"status\":\"1\","
                + "\"orderTime\":\"20161110101010\",\"payTime\":\"20161110101323\"}]");
    }

    @Test
    void batchOfFiftyDistinctNumbersIsAnswered() throws Exception {
        StringBuilder list = new StringBuilder("M201611101010100002");
        for (int i = 1; i < 50; i++) {
            list.append(",N").append(i);
        }
        Map<String, String> f = signedAnswer("/query/multi", params(MID, list.toString()), KEY);
        assertThat(f.get("orders").split("\\{")).hasSize(51);
    }

    @Test
    void brushcardPayStatuses() throws Exception {
        Map<String, String> paid = signedAnswer("/query/brushcard", params(MID, "B201611101030000001"), KEY);
        assertThat(List.copyOf(paid.keySet())).containsExactly("code", "msg", "resultCode", "mid", "noise", "orderNo",
                "flowNo", "tradeNo", "payStatus", "orderAmount", "succAmount", "payTime", "reqNoise", "sign");
        assertThat(paid).containsEntry("payStatus", "1").containsEntry("orderAmount", "50.00")
                .containsEntry("succAmount", "50.00").containsEntry("payTime", "20161110103004");
        Map<String, String> pending = signedAnswer("/query/brushcard", params(MID, "B201611101030000002"), KEY);
        assertThat(pending).containsEntry("payStatus", "5").containsEntry("orderAmount", "12.50")
                .containsEntry("succAmount", "0.00").doesNotContainKeys("payTime", "tradeNo");
        Map<String, String> revoked = signedAnswer("/query/brushcard", params(MID, "B201611101030000003"), KEY);
        assertThat(revoked).containsEntry("payStatus", "10").containsEntry("succAmount", "0.00")
                .containsEntry("payTime", "20161110103206");
        Map<String, String> notCardPresent = signedAnswer("/query/brushcard", params(MID, "M201611101010100002"), KEY);
        assertThat(notCardPresent).containsEntry("resultCode", "FAIL").containsEntry("errCode", "ORDER_NOT_EXIST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"MD5", "md5", "SHA1", "sha1", "SHA256", "Sha256", "HMAC-SHA256", "hmac-sha256"})
    void everySignTypeInAnyCaseIsAnsweredWithTheSameAndEchoed(String signType) throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        p.put("signType", signType);
        Map<String, String> f = signedAnswer("/query/single", p, KEY);
        assertThat(f).containsEntry("signType", signType);
        int hexLength = switch (signType.toUpperCase()) {
            case "MD5" -> 32;
            case "SHA1" -> 40;
            default -> 64;
        };
        assertThat(f.get("sign")).hasSize(hexLength).matches("[0-9A-F]+");
    }

    @Test
    void extensionFieldsAreSignedAndLowercaseSignsAccepted() throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        p.put("remark", "杯具 with spaces");
        p.put("x.ext[1]", "a-b");
        String sign = IndependentVerifier.sign(p, KEY, "MD5").toLowerCase();
        p.put("sign", sign);
        HttpResponse<String> res = demo.post("/query/single", "application/x-www-form-urlencoded", LiveLeopard.form(p));
        assertThat(IndependentVerifier.fields(res.body())).containsEntry("code", "SUCCESS");
    }

    @Test
    void jsonBodiesWorkWithNumbersAsLiteralText() throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        String sign = IndependentVerifier.sign(p, KEY, "MD5");
        String body = "{\"mid\":" + MID + ",\"orderNo\":\"M201611101010100002\",\"noise\":\"e2eNoise_1\","
                + "\"extra\":null,\"sign\":\"" + sign + "\"}";
        HttpResponse<String> res = demo.post("/query/single", "application/json", body);
        Map<String, String> f = IndependentVerifier.fields(res.body());
        assertThat(f).as(res.body()).containsEntry("code", "SUCCESS").containsEntry("status", "1");
        assertThat(IndependentVerifier.verify(f, KEY, "MD5")).isTrue();
    }

    @Test
    void gbkFormBodiesAreHonoured() throws Exception {
        Map<String, String> p = params(MID, "M201611101010100002");
        p.put("remark", "杯具");
        String sign = IndependentVerifier.sign(p, KEY, "MD5");
        String body = "mid=" + MID + "&orderNo=M201611101010100002&noise=e2eNoise_1&sign=" + sign + "&remark="
                + java.net.URLEncoder.encode("杯具", java.nio.charset.Charset.forName("GBK"));
        HttpResponse<String> res = demo.post("/query/single", "application/x-www-form-urlencoded; charset=GBK", body);
        assertThat(IndependentVerifier.fields(res.body())).as(res.body()).containsEntry("code", "SUCCESS");
    }
}
