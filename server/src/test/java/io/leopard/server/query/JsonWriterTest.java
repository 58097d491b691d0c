package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void anAnswerKeepsItsOrderWritesAmountsAsNumbersAndEscapesTheRest() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("code", "SUCCESS");
        fields.put("amount", "5230.00");
        fields.put("msg", "订单 \"x\"\n");
        assertThat(new String(JsonWriter.object(fields), StandardCharsets.UTF_8))
                .isEqualTo("{\"code\":\"SUCCESS\",\"amount\":5230.00,\"msg\":\"订单 \\\"x\\\"\\n\"}");
    }

    @Test
    void aBatchIsACompactArrayOfObjects() {
        assertThat(JsonWriter.array(List.of(Map.of("orderNo", "A"), Map.of("succAmount", "0.00")))).isEqualTo(
                "[{\"orderNo\":\"A\"},{\"succAmount\":0.00}]");
        assertThat(JsonWriter.array(List.of())).isEqualTo("[]");
    }
}
