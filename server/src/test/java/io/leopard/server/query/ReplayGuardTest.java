package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.MemoryNoiseLedger;
import io.leopard.server.access.NoiseLedger;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every branch of replay protection, on a clock the test moves (the ledger's nanoseconds move with it). */
class ReplayGuardTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** 2026-12-03 12:00:00 in Shanghai. */
    private static final Instant NOW = Instant.parse("2026-12-03T04:00:00Z");
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Merchant GUARDED = merchant("100000510983456", WINDOW);
    private static final Merchant OTHER_GUARDED = merchant("100000510983457", WINDOW);
    private static final Merchant OPEN = merchant("100000510983458", null);

    /** The ledger, recording what it was asked. */
    private static final class Recording implements NoiseLedger {
        final NoiseLedger inner;
        final List<String> asked = new ArrayList<>();
        final List<Duration> windows = new ArrayList<>();

        Recording(NoiseLedger inner) {
            this.inner = inner;
        }

        @Override
        public boolean firstUse(String mid, String noise, Duration window) {
            asked.add(mid + "/" + noise);
            windows.add(window);
            return inner.firstUse(mid, noise, window);
        }
    }

    private final MutableClock time = new MutableClock(NOW);
    private final Recording ledger = new Recording(new MemoryNoiseLedger(time::nanos));
    private final ReplayGuard guard = new ReplayGuard(ledger, time, SHANGHAI);

    private static Merchant merchant(String mid, Duration window) {
        return new Merchant(mid, "shop", true, "key12345", null, null, AccessPolicy.DEFAULT, false, window);
    }

    private static QueryRequest request(Merchant m, String noise, String timestamp) throws ProtocolException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", m.mid());
        p.put("orderNo", "M1");
        p.put("noise", noise);
        if (timestamp != null) {
            p.put("timestamp", timestamp);
        }
        p.put("sign", "00"); // the guard runs after the signature check; it does not look at the sign
        return QueryRequest.parse(Endpoint.SINGLE, p, 50);
    }

    /** {@code at} as a timestamp in Shanghai time. */
    private static String stamp(Instant at) {
        return io.leopard.protocol.RequestTime.format(at, SHANGHAI);
    }

    private ProtocolException refusal(Merchant m, String noise, String timestamp) throws ProtocolException {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> guard.check(m, request(m, noise, timestamp)));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private void passes(Merchant m, String noise, String timestamp) {
        assertThatCode(() -> guard.check(m, request(m, noise, timestamp))).doesNotThrowAnyException();
    }

    @Test
    void aMerchantWithoutReplayProtectionIsNotChecked() {
        passes(OPEN, "n1", null);
        passes(OPEN, "n1", null);
        passes(OPEN, "n1", "not a time");
        passes(OPEN, "n1", stamp(NOW.minus(Duration.ofDays(3))));
        assertThat(ledger.asked).as("its noises are not even recorded").isEmpty();
    }

    @Test
    void aFreshRequestPasses() {
        passes(GUARDED, "n1", stamp(NOW));
        assertThat(ledger.asked).containsExactly(GUARDED.mid() + "/n1");
    }

    @Test
    void aMissingTimestampIsExpired() throws Exception {
        ProtocolException e = refusal(GUARDED, "n1", null);
        assertThat(e.code()).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        assertThat(e.getMessage()).startsWith(ErrorCode.TIMESTAMP_EXPIRED.message()).contains("timestamp is required");
        assertThat(refusal(GUARDED, "n1", "").code()).as("empty is absent").isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        assertThat(ledger.asked).isEmpty();
    }

    @Test
    void aMalformedTimestampIsExpired() throws Exception {
        for (String bad : List.of("2026120312000", "202612031200000", "20261232120000", "20261203240000", "1764734400",
                "2026-12-03T12:00")) {
            ProtocolException e = refusal(GUARDED, "n1", bad);
            assertThat(e.code()).as(bad).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
            assertThat(e.getMessage()).as(bad).contains("yyyyMMddHHmmss").contains("Asia/Shanghai");
        }
        assertThat(ledger.asked).isEmpty();
    }

    @Test
    void theEdgesOfTheWindowPass() {
        passes(GUARDED, "behind", stamp(NOW.minus(WINDOW)));
        passes(GUARDED, "ahead", stamp(NOW.plus(WINDOW)));
    }

    @Test
    void oneSecondBeyondEitherEdgeIsExpired() throws Exception {
        ProtocolException behind = refusal(GUARDED, "behind", stamp(NOW.minus(WINDOW).minusSeconds(1)));
        assertThat(behind.code()).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        assertThat(behind.getMessage()).contains("more than 300 s").contains("20261203120000");
        assertThat(refusal(GUARDED, "ahead", stamp(NOW.plus(WINDOW).plusSeconds(1))).code())
                .isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        assertThat(ledger.asked).as("an expired request uses no noise").isEmpty();
        passes(GUARDED, "behind", stamp(NOW));
    }

    @Test
    void theTimestampIsReadInThePlatformZone() throws Exception {
        String utcWallClock = io.leopard.protocol.RequestTime.format(NOW, ZoneOffset.UTC);
        assertThat(refusal(GUARDED, "n1", utcWallClock).code()).as("eight hours off").isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
    }

    @Test
    void aReusedNoiseIsRefused() throws Exception {
        passes(GUARDED, "n1", stamp(NOW));
        time.set(NOW.plusSeconds(30));
        ProtocolException e = refusal(GUARDED, "n1", stamp(time.instant()));
        assertThat(e.code()).isEqualTo(ErrorCode.NOISE_REUSED);
        assertThat(e.getMessage()).startsWith(ErrorCode.NOISE_REUSED.message()).contains("new noise");
    }

    @Test
    void anotherMerchantMayUseTheSameNoise() {
        passes(GUARDED, "n1", stamp(NOW));
        passes(OTHER_GUARDED, "n1", stamp(NOW));
    }

    @Test
    void aNoiseIsRememberedUntilItsTimestampLeavesTheWindow() throws Exception {
        // stamped a whole window ahead (a client clock running fast): acceptable for twice the window
        String ahead = stamp(NOW.plus(WINDOW));
        passes(GUARDED, "n1", ahead);
        assertThat(ledger.windows).containsExactly(WINDOW.multipliedBy(2).plusSeconds(1));
        time.set(NOW.plus(WINDOW.multipliedBy(2)));
        assertThat(refusal(GUARDED, "n1", ahead).code()).as("the last second it is acceptable").isEqualTo(ErrorCode.NOISE_REUSED);
        time.set(time.instant().plusSeconds(1));
        assertThat(refusal(GUARDED, "n1", ahead).code()).as("then its timestamp refuses it").isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
    }

    @Test
    void aRequestAtTheBackEdgeIsRememberedForOneSecond() {
        passes(GUARDED, "n1", stamp(NOW.minus(WINDOW)));
        assertThat(ledger.windows).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void theServersFractionOfASecondShortensTheMemoryToTheSecondsEnd() {
        time.set(NOW.plusMillis(400));
        passes(GUARDED, "n1", stamp(NOW));
        assertThat(ledger.windows).containsExactly(WINDOW.plusSeconds(1).minusMillis(400));
    }
}
