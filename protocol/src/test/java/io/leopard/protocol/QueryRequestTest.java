package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class QueryRequestTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", "100000510983456");
        p.put("orderNo", "M201611101010100002");
        p.put("noise", "n0ise_-");
        p.put("sign", "0123456789ABCDEF0123456789ABCDEF");
        return p;
    }

    private static ErrorCode codeOf(Endpoint e, Map<String, String> p) {
        try {
            QueryRequest.parse(e, p, 50);
            return null;
        } catch (ProtocolException ex) {
            return ex.code();
        }
    }

    @Test
    void acceptsAValidRequest() throws Exception {
        QueryRequest r = QueryRequest.parse(Endpoint.SINGLE, valid(), 50);
        assertThat(r.mid()).isEqualTo("100000510983456");
        assertThat(r.orderNo()).isEqualTo("M201611101010100002");
        assertThat(r.signType()).isEqualTo(SignType.MD5);
        assertThat(r.signTypeAsSent()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mid", "orderNo", "noise", "sign"})
    void missingOrEmptyRequiredParamIsParamError(String name) {
        Map<String, String> p = valid();
        p.remove(name);
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.SINGLE, p, 50))
                .isInstanceOf(ProtocolException.class).hasMessageContaining(name);
        p.put(name, "");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.SINGLE, p, 50)).hasMessageContaining(name + " is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10000051098345", "1000005109834567", "10000051098345a", "１00000510983456", " 100000510983456"})
    void badMids(String mid) {
        Map<String, String> p = valid();
        p.put("mid", mid);
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "123456789012345678901234567890123", "订单", "a,b", "a/b", " a"})
    void badOrderNos(String orderNo) {
        Map<String, String> p = valid();
        p.put("orderNo", orderNo);
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
    }

    @Test
    void orderNoAllowsItsSymbols() {
        Map<String, String> p = valid();
        p.put("orderNo", "A_b-1|2*3");
        assertThat(codeOf(Endpoint.SINGLE, p)).isNull();
        p.put("noise", "a|b");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
    }

    @Test
    void signTypeRules() throws Exception {
        Map<String, String> p = valid();
        p.put("signType", "hmac-sha256");
        QueryRequest r = QueryRequest.parse(Endpoint.SINGLE, p, 50);
        assertThat(r.signType()).isEqualTo(SignType.HMAC_SHA256);
        assertThat(r.signTypeAsSent()).isEqualTo("hmac-sha256");
        p.put("signType", "RSA");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.SIGN_TYPE_UNSUPPORTED);
        p.put("signType", "");
        assertThat(QueryRequest.parse(Endpoint.SINGLE, p, 50).signTypeAsSent()).isNull();
        // parameters are checked before signType
        p.put("signType", "RSA");
        p.remove("noise");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
    }

    @Test
    void signTooLongIsParamErrorButWrongLengthIsLeftForVerification() {
        Map<String, String> p = valid();
        p.put("sign", "A".repeat(129));
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p.put("sign", "ABC");
        assertThat(codeOf(Endpoint.SINGLE, p)).isNull();
        p.put("sign", "A".repeat(128));
        assertThat(codeOf(Endpoint.SINGLE, p)).as("the longest sign allowed").isNull();
    }

    @Test
    void controlCharactersAndBadNamesAreParamErrors() {
        Map<String, String> p = valid();
        p.put("extra", "a\u0001b");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p = valid();
        p.put("ext\u00e9", "x");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p = valid();
        p.put("a".repeat(65), "x");
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p = valid();
        for (int i = 0; i < 61; i++) {
            p.put("p" + i, "v");
        }
        assertThat(codeOf(Endpoint.SINGLE, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p.remove("p0");
        assertThat(p).hasSize(64);
        assertThat(codeOf(Endpoint.SINGLE, p)).isNull();
    }

    @Test
    void batchSplitting() throws Exception {
        Map<String, String> p = valid();
        p.put("orderNo", "a,b,a,c");
        assertThat(QueryRequest.parse(Endpoint.MULTI, p, 50).orderNos()).containsExactly("a", "b", "c");
        for (String bad : new String[] {"a, b", "a,,b", ",a", "a,", "", " a"}) {
            p.put("orderNo", bad);
            assertThat(codeOf(Endpoint.MULTI, p)).as(bad).isEqualTo(ErrorCode.PARAM_ERROR);
        }
        p.put("orderNo", "a,,b");
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.MULTI, p, 50)).hasMessageContaining("has an empty item");
        p.put("orderNo", "a,b c");
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.MULTI, p, 50)).hasMessageContaining("item \"b c\" must be");
        p.put("orderNo", "single");
        QueryRequest one = QueryRequest.parse(Endpoint.MULTI, p, 1);
        assertThat(one.orderNos()).containsExactly("single");
        assertThat(one.endpoint()).isEqualTo(Endpoint.MULTI);
    }

    @Test
    void batchLimitCountsDistinctNumbers() throws Exception {
        Map<String, String> p = valid();
        StringBuilder fifty = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            fifty.append(i == 0 ? "" : ",").append("ORDER").append(i);
        }
        p.put("orderNo", fifty + ",ORDER1,ORDER2");
        assertThat(QueryRequest.parse(Endpoint.MULTI, p, 50).orderNos()).hasSize(50);
        p.put("orderNo", fifty + ",ORDER50");
        assertThat(codeOf(Endpoint.MULTI, p)).isEqualTo(ErrorCode.PARAM_ERROR);
        p.put("orderNo", "ORDER1");
        assertThat(QueryRequest.parse(Endpoint.MULTI, p, 50).orderNos()).containsExactly("ORDER1");
    }
}
