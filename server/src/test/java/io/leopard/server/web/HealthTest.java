package io.leopard.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthTest {
    @Test
    void aStartingNodeIsNotReadyUntilItsStartHasFinished() {
        Health health = Health.starting(() -> true);
        assertThat(health.live()).isTrue();
        assertThat(health.ready()).as("still starting").isFalse();
        health.started();
        assertThat(health.ready()).isTrue();
        health.startDraining();
        assertThat(health.ready()).isFalse();
    }

    @Test
    void aNodeBuiltStartedIsReadyWhileItsDatabaseAnswers() {
        assertThat(new Health(() -> true).ready()).isTrue();
        assertThat(new Health(() -> false).ready()).isFalse();
    }
}
