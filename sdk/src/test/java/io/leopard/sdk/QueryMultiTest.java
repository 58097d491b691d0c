package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryMultiTest {
    private final FakeTransport transport = new FakeTransport();
    private final FakeTicker ticker = new FakeTicker();

    /** A fake batch endpoint: answers every asked number in order, "N..." numbers as status 6. */
    private static String batchAnswer(Request r) {
        StringBuilder orders = new StringBuilder("[");
        for (String no : r.params().get("orderNo").split(",")) {
            if (orders.length() > 1) {
                orders.append(',');
            }
            orders.append(no.startsWith("N") ? "{\"orderNo\":\"" + no + "\",\"status\":\"6\"}"
                    : json(order(no)));
        }
        LinkedHashMap<String, Object> fields = success();
        fields.put("orders", orders.append(']').toString());
        return signed(fields);
    }

    @Test
    void moreThanFiftySplitsIntoBatchesAndMergesInRequestOrder() {
        transport.always(QueryMultiTest::batchAnswer);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            asked.add((i % 7 == 0 ? "N" : "M") + i);
        }
        List<String> withRepeats = new ArrayList<>(asked);
        withRepeats.add(3, "M1");
        withRepeats.add("N0");

        MultiResult r = client(transport, ticker).build().queryMulti(withRepeats);

        assertThat(r.orders()).extracting(OrderResult::orderNo).containsExactlyElementsOf(asked);
        assertThat(transport.requests).extracting(q -> q.params().get("orderNo").split(",").length)
                .containsExactly(50, 50, 20);
        assertThat(transport.requests).allSatisfy(q -> assertThat(q.url()).endsWith("/query/multi"));
        assertThat(r.get("N7").isFound()).isFalse();
        assertThat(r.get("M8").amount()).hasToString("5230.00");
        assertThat(r.get("X")).isNull();
    }

    @Test
    void theBatchLimitIsConfigurable() {
        transport.always(QueryMultiTest::batchAnswer);
        client(transport, ticker).maxBatch(2).build().queryMulti(Arrays.asList("A", "B", "C", "A", "D", "E"));
        assertThat(transport.requests).extracting(q -> q.params().get("orderNo")).containsExactly("A,B", "C,D", "E");
    }

    @Test
    void aBatchThatFailsFailsTheCall() {
        transport.then(QueryMultiTest::batchAnswer).then(fail("PARAM_ERROR", "参数错误"));
        assertThatThrownBy(() -> client(transport, ticker).maxBatch(1).build().queryMulti(List.of("A", "B")))
                .isInstanceOf(LeopardProtocolException.class);
    }

    @Test
    void anEmptyListIsRejected() {
        assertThatThrownBy(() -> client(transport, ticker).build().queryMulti(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
