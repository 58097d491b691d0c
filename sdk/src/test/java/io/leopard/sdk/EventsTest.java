package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.OrderStatus;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/** {@code client.events}: the request it signs, and the page it verifies, fail closed. */
class EventsTest {
    private static final String PAID_EVENT = "{\"eventId\":\"20161101010100198763-2\",\"orderNo\":\"M201611101010100002\","
            + "\"flowNo\":\"20161101010100198763\",\"tradeNo\":\"1217752501201407033233368018\",\"amount\":5230.00,"
            + "\"type\":\"wechat\",\"status\":\"1\",\"orderTime\":\"20161110101010\",\"payTime\":\"20161110101323\","
            + "\"changeTime\":\"20161110101325\",\"later\":\"a field the SDK does not know\"}";
    private static final String CLOSED_EVENT = "{\"eventId\":\"F3-1\",\"orderNo\":\"C1\",\"flowNo\":\"F3\",\"amount\":0.01,"
            + "\"type\":\"QQwallet\",\"status\":\"3\",\"orderTime\":\"20161110104000\",\"changeTime\":\"20161110104001\"}";

    private final FakeTransport transport = new FakeTransport();
    private final FakeTicker ticker = new FakeTicker();

    private static String page(String events, String next, String hasMore) {
        LinkedHashMap<String, Object> fields = success();
        fields.put("events", events);
        fields.put("next", next);
        fields.put("hasMore", hasMore);
        return signed(fields);
    }

    @Test
    void aPageIsReadTypedInOrderAndTheRequestSignsCursorAndLimit() {
        transport.then(page("[" + PAID_EVENT + "," + CLOSED_EVENT + "]", "c1042", "true"));
        EventPage p = client(transport, ticker).build().events("c1040", 2);

        assertThat(p.events()).extracting(FeedEvent::eventId).containsExactly("20161101010100198763-2", "F3-1");
        FeedEvent paid = p.events().get(0);
        assertThat(paid.version()).isEqualTo(2);
        assertThat(paid.amount()).hasToString("5230.00");
        assertThat(paid.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(paid.payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 23));
        assertThat(paid.changeTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 25));
        assertThat(p.events().get(1).tradeNo()).isNull();
        assertThat(p.next()).isEqualTo("c1042");
        assertThat(p.hasMore()).isTrue();

        Request r = transport.requests.get(0);
        assertThat(r.url()).isEqualTo("http://leopard.test/v2/query/events");
        assertThat(r.params()).containsEntry("after", "c1040").containsEntry("limit", "2").doesNotContainKey("orderNo");
        assertThat(r.params().get("sign")).isEqualTo(md5(r.params()));
    }

    @Test
    void theFirstPageSendsNoCursorAndTheDefaultLimit() {
        transport.then(page("[]", "c0", "false"));
        EventPage p = client(transport, ticker).build().events(null);
        assertThat(p.events()).isEmpty();
        assertThat(p.hasMore()).isFalse();
        assertThat(transport.requests.get(0).params()).doesNotContainKey("after").containsEntry("limit", "50");
    }

    @Test
    void badCursorsAndLimitsAreNeverSent() {
        LeopardClient client = client(transport, ticker).build();
        assertThatThrownBy(() -> client.events("12", 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after");
        assertThatThrownBy(() -> client.events("c01", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.events("c1", 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> client.events("c1", 101)).isInstanceOf(IllegalArgumentException.class);
        assertThat(transport.requests).isEmpty();
    }

    @Test
    void aPageThatBreaksTheContractIsRefused() {
        assertRefused(page("[" + PAID_EVENT + "]", "c9", "maybe"), LeopardResponseException.class, "hasMore");
        assertRefused(page("[" + PAID_EVENT + "]", "9", "false"), LeopardResponseException.class, "next");
        assertRefused(page("{}", "c9", "false"), LeopardResponseException.class, "events is not a JSON array");
        assertRefused(page("[" + PAID_EVENT.replace("\"changeTime\":\"20161110101325\",", "") + "]", "c9", "false"),
                LeopardResponseException.class, "changeTime");
        assertRefused(page("[" + PAID_EVENT.replace("-2\"", "-x\"") + "]", "c9", "false"), LeopardResponseException.class, "eventId");
        assertRefused(page("[" + PAID_EVENT + "," + PAID_EVENT + "," + PAID_EVENT + "]", "c9", "false"),
                LeopardResponseException.class, "at most 2");
        // altered after signing: the events string is covered by the sign as received
        String good = page("[" + CLOSED_EVENT + "]", "c9", "false");
        assertRefused(good.replace("0.01", "9.01"), LeopardSignatureException.class, "signature");
    }

    private void assertRefused(String answer, Class<? extends LeopardException> type, String message) {
        FakeTransport t = new FakeTransport().then(answer);
        assertThatThrownBy(() -> client(t, ticker).build().events("c1", 2)).isInstanceOf(type).hasMessageContaining(message);
    }

    @Test
    void aProtocolFailureIsThrownAsOne() {
        transport.then(fail("PARAM_ERROR", "参数错误: after must be a cursor the feed answered (next)"));
        assertThatThrownBy(() -> client(transport, ticker).build().events("c1", 2))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> assertThat(e.errCode()).isEqualTo("PARAM_ERROR"));
    }
}
