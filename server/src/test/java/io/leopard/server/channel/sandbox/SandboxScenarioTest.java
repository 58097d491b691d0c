package io.leopard.server.channel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.channel.sandbox.SandboxScenario.Kind;
import org.junit.jupiter.api.Test;

class SandboxScenarioTest {

    @Test
    void parsesEveryScenarioAnyCase() {
        assertThat(SandboxScenario.parse("paid")).isEqualTo(new SandboxScenario(Kind.PAID_AFTER_QUERIES, 1));
        assertThat(SandboxScenario.parse("PAID12S")).isEqualTo(new SandboxScenario(Kind.PAID_AFTER_SECONDS, 12));
        assertThat(SandboxScenario.parse("paid3q")).isEqualTo(new SandboxScenario(Kind.PAID_AFTER_QUERIES, 3));
        assertThat(SandboxScenario.parse("Pending")).isEqualTo(new SandboxScenario(Kind.PENDING, 0));
        assertThat(SandboxScenario.parse("fail").kind()).isEqualTo(Kind.FAIL);
        assertThat(SandboxScenario.parse("closed").kind()).isEqualTo(Kind.CLOSED);
        assertThat(SandboxScenario.parse("revoked").kind()).isEqualTo(Kind.REVOKED);
        assertThat(SandboxScenario.parse("unknown").kind()).isEqualTo(Kind.UNKNOWN);
        assertThat(SandboxScenario.parse("timeout").kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(SandboxScenario.parse("garbage").kind()).isEqualTo(Kind.GARBAGE);
        assertThat(SandboxScenario.parse("badsign").kind()).isEqualTo(Kind.BADSIGN);
        assertThat(SandboxScenario.parse("MISMATCH").kind()).isEqualTo(Kind.MISMATCH);
    }

    @Test
    void namesNothingOtherwise() {
        assertThat(SandboxScenario.parse(null)).isNull();
        assertThat(SandboxScenario.parse("")).isNull();
        assertThat(SandboxScenario.parse("paidx")).isNull();
        assertThat(SandboxScenario.parse("paid12")).isNull();
        assertThat(SandboxScenario.parse("paid123456s")).as("at most 5 digits").isNull();
        assertThat(SandboxScenario.parse("paid12m")).isNull();
        assertThat(SandboxScenario.parse("xpaid")).isNull();
        assertThat(SandboxScenario.parse("B1")).isNull();
    }

    @Test
    void theOrderNumbersLastPartWinsThenTheSettingThenPending() {
        SandboxScenario fallback = new SandboxScenario(Kind.FAIL, 0);
        assertThat(SandboxScenario.of("A-1-paid3q", fallback)).isEqualTo(new SandboxScenario(Kind.PAID_AFTER_QUERIES, 3));
        assertThat(SandboxScenario.of("A-REVOKED", null).kind()).isEqualTo(Kind.REVOKED);
        assertThat(SandboxScenario.of("A-paid-x", fallback)).as("only the last part").isEqualTo(fallback);
        assertThat(SandboxScenario.of("Apaid", fallback)).as("no dash: no suffix").isEqualTo(fallback);
        assertThat(SandboxScenario.of("A-nothing", null)).isEqualTo(new SandboxScenario(Kind.PENDING, 0));
        assertThat(SandboxScenario.of("paid", null)).as("a whole number is no suffix").isEqualTo(new SandboxScenario(Kind.PENDING, 0));
    }
}
