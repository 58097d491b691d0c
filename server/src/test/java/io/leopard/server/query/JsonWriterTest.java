package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Fields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hand-written JSON against Jackson's ({@link JacksonJson}, what the server wrote before):
 * the same bytes for every UTF-16 unit, every failure answer and the shapes of the batch and the
 * event feed. The answers built from orders are compared in {@code QueryServiceTest}.
 */
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

    @Test
    void everyUtf16UnitButSurrogatesIsWrittenAsJacksonWritesIt() {
        for (int c = 0; c <= 0xFFFF; c++) {
            if (Character.isSurrogate((char) c)) {
                continue;
            }
            String text = "a" + (char) c + "b" + (char) c;
            Map<String, String> fields = Map.of("name" + (char) c, text);
            assertThat(JsonWriter.object(fields)).as("U+%04X", c).isEqualTo(JacksonJson.object(fields));
            assertThat(JsonWriter.array(List.of(fields))).as("U+%04X", c).isEqualTo(JacksonJson.array(List.of(fields)));
        }
    }

    @Test
    void surrogatesAreWrittenAsJacksonWritesThem() {
        Map<String, String> pair = Map.of("msg", "杯具 \uD83D\uDE00 \"ok\"");
        assertThat(JsonWriter.object(pair)).isEqualTo(JacksonJson.object(pair));
        assertThat(JsonWriter.array(List.of(pair))).isEqualTo(JacksonJson.array(List.of(pair)));
        Map<String, String> lone = Map.of("msg", "x\uD83Dy");
        assertThat(JsonWriter.array(List.of(lone))).isEqualTo(JacksonJson.array(List.of(lone)));
        assertThat(JsonWriter.object(lone)).isEqualTo(JacksonJson.object(lone));
        Map<String, String> trailing = Map.of("msg", "x\uDE00");
        assertThat(JsonWriter.object(trailing)).isEqualTo(JacksonJson.object(trailing));
    }

    @Test
    void aNumberThatIsNotAsciiIsWrittenAsJacksonWritesIt() {
        for (String amount : List.of("5\u00e9.00", "1\u4e00", "2\uD83D\uDE00")) {
            Map<String, String> fields = Map.of("amount", amount);
            assertThat(JsonWriter.object(fields)).as(amount).isEqualTo(JacksonJson.object(fields));
            assertThat(JsonWriter.array(List.of(fields))).as(amount).isEqualTo(JacksonJson.array(List.of(fields)));
        }
    }

    @Test
    void everyFailureAnswerIsWrittenAsBefore() {
        for (ErrorCode code : ErrorCode.values()) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put(Fields.CODE, Fields.FAIL);
            fields.put(Fields.MSG, code.message());
            fields.put(Fields.ERR_CODE, code.name());
            fields.put(Fields.ERR_CODE_DES, code.message());
            assertThat(FailureAnswer.body(code, code.message())).as(code.name()).isEqualTo(JacksonJson.object(fields));
        }
    }

    @Test
    void aBatchAndAFeedPageAreWrittenAsBefore() {
        List<Map<String, String>> elements = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Map<String, String> e = new LinkedHashMap<>();
            e.put(Fields.ORDER_NO, "BO" + i);
            if (i % 3 == 0) {
                e.put(Fields.STATUS, "-1");
            } else {
                e.put(Fields.FLOW_NO, "F" + i);
                e.put(Fields.AMOUNT, i + ".50");
                e.put(Fields.TYPE, "wechat");
                e.put(Fields.STATUS, "1");
                e.put(Fields.ORDER_TIME, "20161110101010");
                e.put(Fields.EVENT_ID, "F" + i + "-2");
                e.put(Fields.SUCC_AMOUNT, "0.00");
            }
            elements.add(e);
        }
        String orders = JsonWriter.array(elements);
        assertThat(orders).isEqualTo(JacksonJson.array(elements));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put(Fields.CODE, Fields.SUCCESS);
        answer.put(Fields.MID, "123456789098765");
        answer.put(Fields.ORDERS, orders);
        answer.put(Fields.NEXT, "42");
        answer.put(Fields.HAS_MORE, "true");
        answer.put(Fields.SIGN, "0123456789ABCDEF0123456789ABCDEF");
        assertThat(JsonWriter.object(answer)).isEqualTo(JacksonJson.object(answer));
    }
}
