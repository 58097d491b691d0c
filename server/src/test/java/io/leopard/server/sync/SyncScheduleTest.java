package io.leopard.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.order.Order;
import io.leopard.server.order.Scene;
import io.leopard.server.order.StoredOrder;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {
    private static final Instant T0 = Instant.parse("2026-12-02T08:00:00Z");
    private final SyncSchedule schedule = new SyncSchedule(SyncSettings.defaults());

    static StoredOrder stored(Scene scene, Instant orderTime, Instant createdAt) {
        Order o = new Order("100000510983456", "S1", "FS1", null, new BigDecimal("5.00"), "wechat", scene, OrderState.INIT,
                orderTime, null);
        return new StoredOrder(o, 1, createdAt, createdAt);
    }

    @Test
    void startIsTheLaterOfOrderTimeAndCreation() {
        assertThat(SyncSchedule.start(stored(Scene.QRCODE, T0, T0.plusSeconds(30)))).isEqualTo(T0.plusSeconds(30));
        assertThat(SyncSchedule.start(stored(Scene.QRCODE, T0.plusSeconds(30), T0))).isEqualTo(T0.plusSeconds(30));
        assertThat(SyncSchedule.start(stored(Scene.QRCODE, T0, null))).as("stored before created_at was kept").isEqualTo(T0);
        assertThat(SyncSchedule.start(stored(Scene.QRCODE, T0, T0))).isEqualTo(T0);
    }

    @Test
    void cardPresentIsAskedEveryFiveSecondsAndReversedAtSixty() {
        StoredOrder card = stored(Scene.BRUSHCARD, T0.minusSeconds(3600), T0); // merchant's clock an hour behind
        assertThat(schedule.first(card)).isEqualTo(T0.plusSeconds(5));
        assertThat(schedule.expiry(card)).isEqualTo(T0.plusSeconds(60));
        assertThat(schedule.next(card, 1, T0.plusSeconds(5))).isEqualTo(T0.plusSeconds(10));
        assertThat(schedule.next(card, 7, T0.plusSeconds(35))).as("whatever the attempt").isEqualTo(T0.plusSeconds(40));
        assertThat(schedule.next(card, 11, T0.plusSeconds(57))).as("capped at expiry").isEqualTo(T0.plusSeconds(60));
        assertThat(schedule.retry(card, 1, T0.plusSeconds(20))).isEqualTo(T0.plusSeconds(25));
    }

    @Test
    void othersBackOffOneTwoFiveTenThirtyMinutesThenHourlyUntilTwoHours() {
        StoredOrder qr = stored(Scene.QRCODE, T0, T0.minusSeconds(10)); // orderTime later than created_at
        assertThat(schedule.first(qr)).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(schedule.expiry(qr)).isEqualTo(T0.plus(Duration.ofHours(2)));
        List<Long> minutes = new ArrayList<>();
        Instant at = schedule.first(qr);
        minutes.add(Duration.between(T0, at).toMinutes());
        for (int attempt = 1; at.isBefore(schedule.expiry(qr)); attempt++) {
            at = schedule.next(qr, attempt, at);
            minutes.add(Duration.between(T0, at).toMinutes());
        }
        assertThat(minutes).containsExactly(1L, 3L, 8L, 18L, 48L, 108L, 120L);
        assertThat(schedule.next(qr, 50, T0.plus(Duration.ofMinutes(30)))).isEqualTo(T0.plus(Duration.ofMinutes(90)));
        assertThat(schedule.next(qr, 0, T0)).as("attempt 0 is taken as the first").isEqualTo(T0.plus(Duration.ofMinutes(2)));
        assertThat(schedule.retry(qr, 1, T0.plus(Duration.ofMinutes(40)))).isEqualTo(T0.plus(Duration.ofMinutes(41)));
    }

    @Test
    void pastItsExpiryAFailingOrderBacksOffAndIsGivenUpADayLater() {
        StoredOrder card = stored(Scene.BRUSHCARD, T0, T0);
        Instant late = T0.plusSeconds(61);
        assertThat(schedule.retry(card, 12, late)).as("not every 5 s any more").isEqualTo(late.plus(Duration.ofMinutes(1)));
        Instant later = T0.plusSeconds(60).plus(Duration.ofMinutes(20));
        assertThat(schedule.retry(card, 14, later)).as("as long as it has been late").isEqualTo(later.plus(Duration.ofMinutes(20)));
        Instant muchLater = T0.plusSeconds(60).plus(Duration.ofHours(5));
        assertThat(schedule.retry(card, 20, muchLater)).as("at most an hour").isEqualTo(muchLater.plus(Duration.ofHours(1)));
        assertThat(schedule.givesUp(card)).isEqualTo(T0.plusSeconds(60).plus(Duration.ofDays(1)));
    }

    @Test
    void firstTurnNeverAfterExpiry() {
        SyncSchedule shortLived = new SyncSchedule(new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(3), Duration.ofSeconds(5), false, 1, 10));
        assertThat(shortLived.first(stored(Scene.QRCODE, T0, T0))).isEqualTo(T0.plusSeconds(30));
        assertThat(shortLived.first(stored(Scene.BRUSHCARD, T0, T0))).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void settingsAreUsed() {
        SyncSchedule custom = new SyncSchedule(new SyncSettings(Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofHours(5), Duration.ofSeconds(90), Duration.ofSeconds(7), false, 1, 10));
        StoredOrder card = stored(Scene.BRUSHCARD, T0, T0);
        assertThat(custom.first(card)).isEqualTo(T0.plusSeconds(7));
        assertThat(custom.expiry(card)).isEqualTo(T0.plusSeconds(90));
        assertThat(custom.expiry(stored(Scene.APP, T0, T0))).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(custom.next(stored(Scene.APP, T0, T0), 5, T0.plus(Duration.ofHours(3))))
                .isEqualTo(T0.plus(Duration.ofHours(4)));
    }
}
