package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Answers bound to their request (PROTOCOL.md 4.4) and the timestamp of replay protection (4.3):
 * an answer captured earlier verifies, but is not the answer to the request it is replayed to.
 */
class BoundAnswerTest {
    private static final String NO = "M201611101010100002";
    private final FakeTransport transport = new FakeTransport().unbound();
    private final LeopardClient client = client(transport, new FakeTicker()).retryPolicy(RetryPolicy.none()).build();

    /** {@code fields} as the server answers {@code request}: its noise echoed, signed. */
    private static String boundTo(Request request, Map<String, Object> fields) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(fields);
        m.put("reqNoise", request.params().get("noise"));
        return signed(m);
    }

    @Test
    void anAnswerEchoingTheNoiseSentIsAccepted() {
        transport.then(r -> boundTo(r, singleAnswer(NO)));
        assertThat(client.querySingle(NO).order().orderNo()).isEqualTo(NO);
    }

    @Test
    void anAnswerCapturedEarlierIsRejectedWhenReplayedToAnotherRequest() {
        String[] captured = new String[1];
        transport.then(r -> captured[0] = boundTo(r, singleAnswer(NO)));
        assertThat(client.querySingle(NO).isFound()).isTrue();
        transport.then(r -> captured[0]);
        assertThatThrownBy(() -> client.querySingle(NO)).isInstanceOf(LeopardResponseException.class)
                .hasMessageContaining("another request's noise");
    }

    @Test
    void aNotFoundAnswerReplayedToAnotherRequestIsRejected() {
        String[] captured = new String[1];
        transport.then(r -> {
            LinkedHashMap<String, Object> m = notExist();
            m.put("orderNo", NO);
            return captured[0] = boundTo(r, m);
        });
        assertThat(client.querySingle(NO).isFound()).isFalse();
        transport.then(r -> captured[0]);
        assertThatThrownBy(() -> client.querySingle(NO)).isInstanceOf(LeopardResponseException.class);
    }

    @Test
    void aNotFoundAnswerForAnotherOrderIsRejected() {
        transport.then(r -> {
            LinkedHashMap<String, Object> m = notExist();
            m.put("orderNo", "OTHER1");
            return boundTo(r, m);
        });
        assertThatThrownBy(() -> client.querySingle(NO)).isInstanceOf(LeopardResponseException.class)
                .hasMessageContaining("OTHER1").hasMessageContaining(NO);
        transport.then(r -> boundTo(r, notExist()));
        assertThatThrownBy(() -> client.queryBrushcard(NO)).as("a not-found naming no order")
                .isInstanceOf(LeopardResponseException.class).hasMessageContaining("(none)");
    }

    @Test
    void anAnswerWithoutTheEchoIsRejected() {
        transport.then(signed(singleAnswer(NO)));
        assertThatThrownBy(() -> client.querySingle(NO)).isInstanceOf(LeopardResponseException.class)
                .hasMessageContaining("reqNoise");
    }

    @Test
    void anEchoAddedAfterSigningFailsTheSignatureFirst() {
        transport.then(r -> signed(singleAnswer(NO)).replace("\"sign\"", "\"reqNoise\":\"" + r.params().get("noise") + "\",\"sign\""));
        assertThatThrownBy(() -> client.querySingle(NO)).isInstanceOf(LeopardSignatureException.class);
    }

    @Test
    void batchesAndFeedPagesAreBoundByTheirNoiseToo() {
        LinkedHashMap<String, Object> multi = success();
        multi.put("orders", "[{\"orderNo\":\"A1\",\"status\":\"6\"}]");
        transport.then(signed(multi));
        assertThatThrownBy(() -> client.queryMulti(List.of("A1"))).isInstanceOf(LeopardResponseException.class);
        transport.then(r -> boundTo(r, multi));
        assertThat(client.queryMulti(List.of("A1")).orders()).hasSize(1);
        LinkedHashMap<String, Object> page = success();
        page.put("events", "[]");
        page.put("next", "c0");
        page.put("hasMore", "false");
        transport.then(signed(page));
        assertThatThrownBy(() -> client.events(null)).isInstanceOf(LeopardResponseException.class);
        transport.then(r -> boundTo(r, page));
        assertThat(client.events(null).events()).isEmpty();
    }

    @Test
    void replayRefusalsAreTypedErrorCodesAndNotRetried() {
        FakeTransport t = new FakeTransport();
        LeopardClient retrying = client(t, new FakeTicker()).build();
        for (ErrorCode code : List.of(ErrorCode.TIMESTAMP_EXPIRED, ErrorCode.NOISE_REUSED)) {
            t.then(fail(code.name(), code.message()));
            assertThatThrownBy(() -> retrying.querySingle(NO)).isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
                assertThat(e.errorCode()).isEqualTo(code);
                assertThat(e.retries()).isZero();
            });
        }
    }

    @Test
    void noTimestampIsSentUnlessAskedFor() {
        FakeTransport t = new FakeTransport().always(r -> signed(singleAnswer(NO)));
        client(t, new FakeTicker()).build().querySingle(NO);
        assertThat(t.requests.get(0).params()).doesNotContainKey("timestamp");
    }

    @Test
    void aTimestampIsSentSignedInThePlatformZoneOnEveryAttempt() {
        FakeTransport t = new FakeTransport().then(fail("SYSTEM_ERROR", "busy")).always(r -> signed(singleAnswer(NO)));
        Clock fixed = Clock.fixed(Instant.parse("2026-12-03T04:00:00Z"), ZoneOffset.UTC);
        LeopardClient stamping = client(t, new FakeTicker()).sendTimestamp(true).clock(fixed).build();
        stamping.querySingle(NO);
        assertThat(t.requests).hasSize(2);
        for (Request r : t.requests) {
            assertThat(r.params()).containsEntry("timestamp", "20261203120000");
            assertThat(List.copyOf(r.params().keySet())).containsExactly("mid", "orderNo", "noise", "timestamp", "sign");
            assertThat(r.params().get("sign")).isEqualTo(md5(r.params()));
        }
        assertThat(t.requests.get(0).params().get("noise")).as("a retry is a new request")
                .isNotEqualTo(t.requests.get(1).params().get("noise"));
        assertThat(stamping.toString()).contains("sendTimestamp=true");
        FakeTransport utc = new FakeTransport().always(r -> signed(singleAnswer(NO)));
        client(utc, new FakeTicker()).sendTimestamp(true).clock(fixed).zone(ZoneId.of("UTC")).build().querySingle(NO);
        assertThat(utc.requests.get(0).params()).containsEntry("timestamp", "20261203040000");
    }
}
