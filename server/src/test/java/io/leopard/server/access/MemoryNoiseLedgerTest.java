package io.leopard.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The single node's noise ledger, on a clock the test moves. */
class MemoryNoiseLedgerTest {
    private static final String MID = "100000510983456";
    private static final String OTHER = "100000510983457";
    private static final Duration WINDOW = Duration.ofMinutes(5);

    private final AtomicLong nanos = new AtomicLong(7_000_000_000L);
    private final MemoryNoiseLedger ledger = new MemoryNoiseLedger(nanos::get);

    @Test
    void aNoiseIsNewOnceThenAReplayForItsWindow() {
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).isTrue();
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).isFalse();
        nanos.addAndGet(WINDOW.toNanos() - 1);
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).as("the last nanosecond of the window").isFalse();
    }

    @Test
    void aReplayDoesNotStretchTheWindow() {
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).isTrue();
        nanos.addAndGet(WINDOW.toNanos() / 2);
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).isFalse();
        nanos.addAndGet(WINDOW.toNanos() / 2);
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).as("forgotten when the first window ends").isTrue();
    }

    @Test
    void eachNoiseKeepsItsOwnWindow() {
        assertThat(ledger.firstUse(MID, "short", Duration.ofSeconds(10))).isTrue();
        assertThat(ledger.firstUse(MID, "long", Duration.ofSeconds(20))).isTrue();
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(ledger.firstUse(MID, "short", WINDOW)).isTrue();
        assertThat(ledger.firstUse(MID, "long", WINDOW)).isFalse();
    }

    @Test
    void noisesAreTheMerchantsOwn() {
        assertThat(ledger.firstUse(MID, "n1", WINDOW)).isTrue();
        assertThat(ledger.firstUse(OTHER, "n1", WINDOW)).isTrue();
        assertThat(ledger.firstUse(OTHER, "n1", WINDOW)).isFalse();
        assertThat(ledger.firstUse(MID, "n2", WINDOW)).isTrue();
        assertThat(ledger.firstUse(MID, "N1", WINDOW)).as("noises are case-sensitive, as signed").isTrue();
    }

    @Test
    void aWindowMustBePositive() {
        assertThatThrownBy(() -> ledger.firstUse(MID, "n1", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.firstUse(MID, "n1", Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itHoldsAtMostItsBoundAndForgetsExpiredNoises() {
        MemoryNoiseLedger small = new MemoryNoiseLedger(nanos::get, 10);
        for (int i = 0; i < 100; i++) {
            assertThat(small.firstUse(MID, "n" + i, WINDOW)).isTrue();
        }
        assertThat(small.size()).isEqualTo(10);
        nanos.addAndGet(WINDOW.toNanos());
        assertThat(small.size()).isZero();
    }
}
