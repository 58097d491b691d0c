package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class FormatsPropertiesTest {

    /** The digit-by-digit writer agrees with the formatter for any instant and zone, years 0-9999 and beyond. */
    @Property(tries = 3000)
    void timeIsWhatTheFormatterWrites(@ForAll("instants") Instant instant, @ForAll("zones") String zone) {
        ZoneId id = ZoneId.of(zone);
        assertThat(Formats.time(instant, id)).isEqualTo(Formats.TIME.format(LocalDateTime.ofInstant(instant, id)));
    }

    @Provide
    Arbitrary<Instant> instants() {
        // from year -100 to year 10100, so both paths and the edges of the fast one are covered
        long from = -65_000_000_000L;
        long to = 256_600_000_000L;
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.longs().between(0L, 4_102_444_800L)),
                Tuple.of(1, Arbitraries.longs().between(from, to)))
                .map(Instant::ofEpochSecond);
    }

    @Provide
    Arbitrary<String> zones() {
        return Arbitraries.of("Asia/Shanghai", "UTC", "America/New_York", "Pacific/Kiritimati", "America/St_Johns", "Etc/GMT+12");
    }
}
