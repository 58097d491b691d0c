package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The event feed's parameters (PROTOCOL.md 10): no order number, a strict cursor and limit. */
class EventsRequestTest {

    private static Map<String, String> valid() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", "100000510983456");
        p.put("noise", "n0ise_-");
        p.put("sign", "0123456789ABCDEF0123456789ABCDEF");
        return p;
    }

    @Test
    void withoutCursorOrLimitItStartsAtTheBeginningFiftyAtATime() throws Exception {
        QueryRequest r = QueryRequest.parse(Endpoint.EVENTS, valid(), 50);
        assertThat(r.endpoint()).isEqualTo(Endpoint.EVENTS);
        assertThat(r.after()).isZero();
        assertThat(r.afterAsSent()).isNull();
        assertThat(r.limit()).isEqualTo(50);
        assertThat(r.orderNos()).isEmpty();
        assertThat(Endpoint.fromPath("/query/events")).isEqualTo(Endpoint.EVENTS);
    }

    @Test
    void aCursorAndALimitAreRead() throws Exception {
        Map<String, String> p = valid();
        p.put("after", "c9223372036854775807");
        p.put("limit", "100");
        QueryRequest r = QueryRequest.parse(Endpoint.EVENTS, p, 50);
        assertThat(r.after()).isEqualTo(Long.MAX_VALUE);
        assertThat(r.afterAsSent()).isEqualTo("c9223372036854775807");
        assertThat(r.limit()).isEqualTo(100);
        p.put("after", "");
        p.put("limit", "");
        assertThat(QueryRequest.parse(Endpoint.EVENTS, p, 50).afterAsSent()).isNull();
        assertThat(QueryRequest.parse(Endpoint.EVENTS, p, 50).limit()).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "0", "12", "C12", "c-1", "c+1", "c01", "c1.0", "c 1", "c9223372036854775808",
            "c99999999999999999999", "cx", "c１"})
    void aMalformedCursorIsAParamError(String after) {
        Map<String, String> p = valid();
        p.put("after", after);
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.EVENTS, p, 50))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PARAM_ERROR))
                .hasMessageContaining("after");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "1000", "-1", "+5", "05", "1.5", "ten", " 5", "99999999999"})
    void aLimitOutsideOneToAHundredIsAParamError(String limit) {
        Map<String, String> p = valid();
        p.put("limit", limit);
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.EVENTS, p, 50))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PARAM_ERROR))
                .hasMessageContaining("limit");
    }

    @Test
    void theOtherEndpointsStillRequireAnOrderNumber() {
        assertThatThrownBy(() -> QueryRequest.parse(Endpoint.SINGLE, valid(), 50)).hasMessageContaining("orderNo is required");
    }

    @Test
    void cursorsRoundTrip() throws Exception {
        assertThat(ParamRules.cursor(0)).isEqualTo(ParamRules.FIRST_CURSOR);
        assertThat(ParamRules.parseCursor(ParamRules.cursor(1234))).isEqualTo(1234);
        assertThatThrownBy(() -> ParamRules.cursor(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
