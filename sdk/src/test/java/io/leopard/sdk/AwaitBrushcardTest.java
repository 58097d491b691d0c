package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.PayStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AwaitBrushcardTest {
    private static final String NO = "B201611101030000002";
    private final FakeTransport transport = new FakeTransport();
    private final FakeTicker ticker = new FakeTicker();
    private final LeopardClient client = client(transport, ticker).build();

    @Test
    void pendingSixTimesMeansRevokeItAfterAtLeastThirtySeconds() {
        transport.always(r -> signed(brushcardAnswer(NO, "5")));
        BrushcardOutcome outcome = client.awaitBrushcard(NO);
        assertThat(outcome.state()).isEqualTo(BrushcardOutcome.State.STILL_PENDING_REVOKE_IT);
        assertThat(outcome.mustRevoke()).isTrue();
        assertThat(outcome.queries()).isEqualTo(6);
        assertThat(transport.requests).hasSize(6);
        assertThat(ticker.total()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(outcome.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(ticker.sleeps).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(5)));
        assertThat(outcome.result().payStatus()).isEqualTo(PayStatus.PENDING);
    }

    @Test
    void paidOnTheThirdQueryStopsThere() {
        transport.then(signed(brushcardAnswer(NO, "5"))).then(signed(brushcardAnswer(NO, "5")))
                .then(signed(brushcardAnswer(NO, "1")));
        BrushcardOutcome outcome = client.awaitBrushcard(NO);
        assertThat(outcome.state()).isEqualTo(BrushcardOutcome.State.PAID);
        assertThat(outcome.mustRevoke()).isFalse();
        assertThat(outcome.queries()).isEqualTo(3);
        assertThat(outcome.result().succAmount()).hasToString("88.00");
        assertThat(ticker.total()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void eachAnswerIsToldAsItComes() {
        transport.then(signed(brushcardAnswer(NO, "5"))).then(signed(brushcardAnswer(NO, "1")));
        java.util.List<String> seen = new java.util.ArrayList<>();
        BrushcardOutcome outcome = client.awaitBrushcard(NO, r -> seen.add(r.payStatus().value()));
        assertThat(seen).containsExactly("5", "1");
        assertThat(outcome.queries()).isEqualTo(2);
    }

    @Test
    void failedRevokedAndNotFoundAreFinal() {
        transport.then(signed(brushcardAnswer(NO, "2")));
        assertThat(client.awaitBrushcard(NO).state()).isEqualTo(BrushcardOutcome.State.FAILED);
        transport.then(signed(brushcardAnswer(NO, "10")));
        assertThat(client.awaitBrushcard(NO).state()).isEqualTo(BrushcardOutcome.State.REVOKED);
        transport.then(signed(notExist()));
        assertThat(client.awaitBrushcard(NO).state()).isEqualTo(BrushcardOutcome.State.NOT_FOUND);
    }

    @Test
    void anUnknownPayStatusIsNotFinalSoItEndsInRevokeIt() {
        transport.always(r -> signed(brushcardAnswer(NO, "42")));
        assertThat(client.awaitBrushcard(NO).mustRevoke()).isTrue();
    }

    @Test
    void theRuleIsConfigurable() {
        transport.always(r -> signed(brushcardAnswer(NO, "5")));
        BrushcardOutcome outcome = client(transport, ticker).brushcardPolling(3, Duration.ofSeconds(2)).build()
                .awaitBrushcard(NO);
        assertThat(outcome.queries()).isEqualTo(3);
        assertThat(ticker.total()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void slowAnswersDoNotStretchTheSchedule() {
        transport.always(r -> {
            ticker.now += Duration.ofSeconds(1).toNanos(); // each query takes 1 s
            return signed(brushcardAnswer(NO, "5"));
        });
        BrushcardOutcome outcome = client.awaitBrushcard(NO);
        assertThat(outcome.waited()).isEqualTo(Duration.ofSeconds(31));
        assertThat(ticker.sleeps.subList(1, 6)).allSatisfy(d -> assertThat(d).isEqualTo(Duration.ofSeconds(4)));
    }

    @Test
    void anInterruptStopsTheWaitAndKeepsTheFlag() {
        LeopardClient interrupted = client(transport, new RetryTest.InterruptingTicker()).build();
        try {
            assertThatThrownBy(() -> interrupted.awaitBrushcard(NO))
                    .isInstanceOf(LeopardTransportException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(transport.requests).isEmpty();
    }
}
