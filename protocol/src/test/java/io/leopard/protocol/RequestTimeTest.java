package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** The replay window's timestamp: its format in the platform zone, and the edges of the window. */
class RequestTimeTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);

    @Test
    void aTimestampIsWrittenAndReadInThePlatformZone() {
        assertThat(RequestTime.format(NOW, SHANGHAI)).isEqualTo("20261203120000");
        assertThat(RequestTime.parse("20261203120000", SHANGHAI)).isEqualTo(NOW);
        assertThat(RequestTime.parse("20261203120000", ZoneId.of("UTC"))).isEqualTo(NOW.plusSeconds(8 * 3600));
    }

    @Test
    void aMalformedTimestampIsNone() {
        assertThat(RequestTime.parse(null, SHANGHAI)).isNull();
        assertThat(RequestTime.parse("", SHANGHAI)).isNull();
        assertThat(RequestTime.parse("2026120312000", SHANGHAI)).isNull();
        assertThat(RequestTime.parse("202612031200000", SHANGHAI)).isNull();
        assertThat(RequestTime.parse("20261232120000", SHANGHAI)).as("no 32 December").isNull();
        assertThat(RequestTime.parse("20261203240000", SHANGHAI)).as("no 24 o'clock").isNull();
        assertThat(RequestTime.parse("1764734400", SHANGHAI)).as("epoch seconds").isNull();
        assertThat(RequestTime.parse("2026-12-03 12:", SHANGHAI)).isNull();
    }

    @Test
    void theWindowIncludesItsEdgesOnBothSides() {
        assertThat(RequestTime.isWithin(NOW, NOW, WINDOW)).isTrue();
        assertThat(RequestTime.isWithin(NOW.minus(WINDOW), NOW, WINDOW)).isTrue();
        assertThat(RequestTime.isWithin(NOW.plus(WINDOW), NOW, WINDOW)).isTrue();
        assertThat(RequestTime.isWithin(NOW.minus(WINDOW).minusSeconds(1), NOW, WINDOW)).isFalse();
        assertThat(RequestTime.isWithin(NOW.plus(WINDOW).plusSeconds(1), NOW, WINDOW)).isFalse();
    }

    @Test
    void theServersFractionOfASecondDoesNotCount() {
        Instant later = NOW.plusMillis(999);
        assertThat(RequestTime.isWithin(NOW.minus(WINDOW), later, WINDOW)).isTrue();
        assertThat(RequestTime.isWithin(NOW.plus(WINDOW), later, WINDOW)).isTrue();
        assertThat(RequestTime.isWithin(NOW.plus(WINDOW).plusSeconds(1), later, WINDOW)).isFalse();
        assertThat(RequestTime.isWithin(NOW.minus(WINDOW), NOW.plusSeconds(1), WINDOW)).isFalse();
    }
}
