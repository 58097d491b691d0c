package io.leopard.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShutdownDeadlineTest {
    private final AtomicInteger halts = new AtomicInteger();

    @Test
    void aShutdownThatFinishesInTimeDoesNotHalt() {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ofSeconds(10), halts::incrementAndGet);
        deadline.done();
        deadline.await();
        assertThat(halts).hasValue(0);
    }

    @Test
    void aShutdownThatHangsIsHaltedAtDrainPlusGracePlusTheMargin() {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ZERO, halts::incrementAndGet);
        assertThat(deadline.limit()).isEqualTo(ShutdownDeadline.MARGIN);
        assertThat(ShutdownDeadline.MARGIN).isLessThan(Duration.ofSeconds(2));
        deadline.await(); // nobody calls done(): waits the margin, then halts
        assertThat(halts).hasValue(1);
    }

    @Test
    void theLimitIsTheConfiguredTimesPlusTheMargin() {
        ShutdownDeadline deadline = new ShutdownDeadline(Duration.ofSeconds(7), halts::incrementAndGet);
        assertThat(deadline.limit()).isEqualTo(Duration.ofSeconds(7).plus(ShutdownDeadline.MARGIN));
    }
}
