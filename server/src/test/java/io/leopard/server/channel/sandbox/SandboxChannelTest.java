package io.leopard.server.channel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import io.leopard.server.channel.InvalidCredentialsException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SandboxChannelTest {
    private static final Instant ORDER_TIME = Instant.parse("2026-12-02T08:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final ChannelCredentials NONE = new ChannelCredentials("sandbox", Map.of());

    private static ChannelOrder order(String orderNo, boolean cardPresent) {
        return new ChannelOrder("100000510983456", orderNo, "F" + orderNo, new BigDecimal("12.50"), "wechat", cardPresent,
                ORDER_TIME, "test");
    }

    private static SandboxChannel at(Instant now) {
        return new SandboxChannel(Clock.fixed(now, ZoneOffset.UTC));
    }

    private static ChannelReply.Known known(ChannelReply reply) {
        assertThat(reply).isInstanceOf(ChannelReply.Known.class);
        return (ChannelReply.Known) reply;
    }

    private static ChannelException.Failure failure(Runnable call) {
        try {
            call.run();
        } catch (ChannelException e) {
            return e.failure();
        }
        throw new AssertionError("no ChannelException");
    }

    @Test
    void answersEveryScenario() {
        Instant now = ORDER_TIME.plusSeconds(1);
        SandboxChannel sandbox = at(now);
        ChannelReply.Known paid = known(sandbox.query(order("A-paid", false), NONE, TIMEOUT));
        assertThat(paid.state()).isEqualTo(ChannelState.SUCCESS);
        assertThat(paid.tradeNo()).isEqualTo("SBXFA-paid");
        assertThat(paid.payTime()).isEqualTo(now);
        assertThat(paid.paidAmount()).isEqualByComparingTo("12.50");
        assertThat(paid.refunded()).isFalse();
        assertThat(known(sandbox.query(order("A-nothing", false), NONE, TIMEOUT))).isEqualTo(ChannelReply.Known.pending());
        assertThat(known(sandbox.query(order("A", false), NONE, TIMEOUT)).state()).isEqualTo(ChannelState.PENDING);
        ChannelReply.Known failed = known(sandbox.query(order("A-fail", false), NONE, TIMEOUT));
        assertThat(failed.state()).isEqualTo(ChannelState.FAILED);
        assertThat(failed.tradeNo()).isNull();
        assertThat(known(sandbox.query(order("A-closed", false), NONE, TIMEOUT)).state()).isEqualTo(ChannelState.CLOSED);
        ChannelReply.Known revoked = known(sandbox.query(order("A-revoked", true), NONE, TIMEOUT));
        assertThat(revoked.state()).isEqualTo(ChannelState.REVOKED);
        assertThat(revoked.tradeNo()).isEqualTo("SBXFA-revoked");
        assertThat(sandbox.query(order("A-unknown", false), NONE, TIMEOUT)).isInstanceOf(ChannelReply.NotKnown.class);
        assertThat(failure(() -> sandbox.query(order("A-garbage", false), NONE, TIMEOUT))).isEqualTo(ChannelException.Failure.MALFORMED);
        assertThat(failure(() -> sandbox.query(order("A-badsign", false), NONE, TIMEOUT)))
                .isEqualTo(ChannelException.Failure.BAD_SIGNATURE);
        assertThatThrownBy(() -> sandbox.query(order("A-mismatch", false), NONE, TIMEOUT))
                .isInstanceOfSatisfying(ChannelException.class, e -> assertThat(e.failure()).isEqualTo(ChannelException.Failure.MISMATCH))
                .hasMessageContaining("13.50").hasMessageContaining("12.50");
    }

    @Test
    void theSettingIsTheDefaultScenarioAndTheSuffixWins() {
        SandboxChannel sandbox = at(ORDER_TIME);
        ChannelCredentials failing = new ChannelCredentials("sandbox", sandbox.checkCredentials(Map.of("scenario", "FAIL")));
        assertThat(failing.get("scenario")).isEqualTo("fail");
        assertThat(known(sandbox.query(order("A1", false), failing, TIMEOUT)).state()).isEqualTo(ChannelState.FAILED);
        assertThat(known(sandbox.query(order("A2-closed", false), failing, TIMEOUT)).state()).isEqualTo(ChannelState.CLOSED);
    }

    @Test
    void timeoutScenarioFailsAfterTheTimeout() {
        SandboxChannel sandbox = at(ORDER_TIME);
        long start = System.nanoTime();
        assertThat(failure(() -> sandbox.query(order("A-timeout", false), NONE, Duration.ofMillis(50))))
                .isEqualTo(ChannelException.Failure.TIMEOUT);
        long elapsed = System.nanoTime() - start;
        assertThat(elapsed).as("waited the timeout").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(elapsed).as("bounded").isLessThan(Duration.ofSeconds(5).toNanos());
        assertThat(failure(() -> sandbox.cancel(order("A-timeout", false), NONE, Duration.ofMillis(50))))
                .isEqualTo(ChannelException.Failure.TIMEOUT);
    }

    @Test
    void latencyAtOrBeyondTheTimeoutIsATimeout() {
        SandboxChannel sandbox = at(ORDER_TIME);
        ChannelCredentials slow = new ChannelCredentials("sandbox", sandbox.checkCredentials(Map.of("latencyMs", "50")));
        assertThat(failure(() -> sandbox.query(order("A-paid", false), slow, Duration.ofMillis(50))))
                .isEqualTo(ChannelException.Failure.TIMEOUT);
        long start = System.nanoTime();
        assertThat(known(sandbox.query(order("B-paid", false), slow, Duration.ofSeconds(5))).state()).isEqualTo(ChannelState.SUCCESS);
        assertThat(System.nanoTime() - start).as("the latency was waited").isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    }

    @Test
    void paidAfterSecondsCountsFromTheOrderTime() {
        ChannelOrder o = order("A-paid12s", false);
        assertThat(known(at(ORDER_TIME.plusMillis(11_999)).query(o, NONE, TIMEOUT)).state()).isEqualTo(ChannelState.PENDING);
        ChannelReply.Known paid = known(at(ORDER_TIME.plusSeconds(12)).query(o, NONE, TIMEOUT));
        assertThat(paid.state()).isEqualTo(ChannelState.SUCCESS);
        assertThat(paid.payTime()).isEqualTo(ORDER_TIME.plusSeconds(12));
        assertThat(at(ORDER_TIME.plusSeconds(11)).cancel(o, NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.CLOSED);
        assertThat(at(ORDER_TIME.plusSeconds(13)).cancel(o, NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.PAID);
    }

    @Test
    void paidAfterQueriesCountsPerOrder() {
        SandboxChannel sandbox = at(ORDER_TIME);
        ChannelOrder a = order("A-paid3q", false);
        ChannelOrder b = order("B-paid3q", false);
        assertThat(known(sandbox.query(a, NONE, TIMEOUT)).state()).isEqualTo(ChannelState.PENDING);
        assertThat(known(sandbox.query(a, NONE, TIMEOUT)).state()).isEqualTo(ChannelState.PENDING);
        assertThat(known(sandbox.query(b, NONE, TIMEOUT)).state()).as("another order's count").isEqualTo(ChannelState.PENDING);
        assertThat(known(sandbox.query(a, NONE, TIMEOUT)).state()).isEqualTo(ChannelState.SUCCESS);
        assertThat(known(sandbox.query(a, NONE, TIMEOUT)).state()).as("and stays paid").isEqualTo(ChannelState.SUCCESS);
        assertThat(sandbox.cancel(a, NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.PAID);
        assertThat(known(at(ORDER_TIME).query(a, NONE, TIMEOUT)).state()).as("counted by this channel (node)")
                .isEqualTo(ChannelState.PENDING);
    }

    @Test
    void cancelClosesOrReverses() {
        SandboxChannel sandbox = at(ORDER_TIME);
        assertThat(sandbox.cancel(order("A", false), NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.CLOSED);
        assertThat(sandbox.cancel(order("A", true), NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.REVOKED);
        assertThat(sandbox.cancel(order("A-paid12s", true), NONE, TIMEOUT).outcome()).isEqualTo(CancelReply.Outcome.REVOKED);
    }

    @Test
    void cancelWaitsTheLatencyOnce() {
        SandboxChannel sandbox = at(ORDER_TIME.plusSeconds(30));
        ChannelCredentials slow = new ChannelCredentials("sandbox", sandbox.checkCredentials(Map.of("latencyMs", "300")));
        long start = System.nanoTime();
        // latency 300 ms of a call that may take 500: an answer in time, not after 600 ms
        CancelReply reply = sandbox.cancel(order("A-paid12s", false), slow, Duration.ofMillis(500));
        long elapsed = System.nanoTime() - start;
        assertThat(reply.outcome()).isEqualTo(CancelReply.Outcome.PAID);
        assertThat(elapsed).isLessThan(Duration.ofMillis(600).toNanos());
    }

    @Test
    void checksCredentials() {
        SandboxChannel sandbox = at(ORDER_TIME);
        assertThat(sandbox.checkCredentials(Map.of())).isEmpty();
        assertThat(sandbox.checkCredentials(Map.of("scenario", "Paid12S", "latencyMs", "10000")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("scenario", "paid12s", "latencyMs", "10000"));
        assertThat(sandbox.checkCredentials(Map.of("latencyMs", "0"))).containsEntry("latencyMs", "0");
        assertInvalid(sandbox, Map.of("scenario", "sometimes"), "scenario");
        assertInvalid(sandbox, Map.of("latencyMs", "10001"), "latencyMs");
        assertInvalid(sandbox, Map.of("latencyMs", "-1"), "latencyMs");
        assertInvalid(sandbox, Map.of("latencyMs", "fast"), "latencyMs");
        assertInvalid(sandbox, Map.of("latencyMs", ""), "latencyMs");
        assertInvalid(sandbox, Map.of("apiKey", "s3cr3t-value"), "apiKey");
        Map<String, String> nullScenario = new HashMap<>();
        nullScenario.put("scenario", null);
        assertInvalid(sandbox, nullScenario, "scenario");
    }

    private static void assertInvalid(SandboxChannel sandbox, Map<String, String> fields, String field) {
        assertThatThrownBy(() -> sandbox.checkCredentials(fields))
                .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).doesNotContain("s3cr3t-value");
                });
    }
}
