package io.leopard.server.channel.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.ChannelException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Alipay's times are Beijing time (UTC+8, no daylight saving), whatever the server's zone. */
class AlipayTimeTest {

    @Test
    void timesAreWrittenAndReadInBeijingTime() {
        assertThat(AlipayTime.format(Instant.parse("2026-12-31T16:00:00Z"))).isEqualTo("2027-01-01 00:00:00");
        assertThat(AlipayTime.parse("send_pay_date", "2027-01-01 00:00:00")).isEqualTo(Instant.parse("2026-12-31T16:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-02-30 09:00:00", "2026-12-03T09:00:00", "2026-12-03 24:00:00", "2026-12-03 9:00:00", "", "2026-12-03"})
    void aTextThatIsNoSuchTimeIsMalformed(String text) {
        assertThatThrownBy(() -> AlipayTime.parse("send_pay_date", text)).isInstanceOfSatisfying(ChannelException.class,
                e -> assertThat(e.failure()).isEqualTo(ChannelException.Failure.MALFORMED));
    }
}
