package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.RequestTime;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.Limits;
import io.leopard.server.access.MemoryNoiseLedger;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.OrderStore;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.leopard.server.testing.MutableClock;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replay protection in the pipeline, on a real embedded database and a clock the test moves: where
 * it sits among the checks (after the signature, before the merchant's rate), on every endpoint,
 * and a captured request sent again.
 */
class ReplayPipelineTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Instant START = Instant.parse("2026-12-03T04:00:00Z");
    private static final String GUARDED = DemoFixture.MID;
    private static final String KEY = DemoFixture.KEY;
    private static final String OPEN = DemoFixture.OTHER_MID;
    private static final String OPEN_KEY = DemoFixture.OTHER_KEY;
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private static TestDatabase db;
    private static MerchantDirectory directory;
    private static MerchantStore store;

    private static final class CountingLimits implements Limits {
        final List<String> merchantCharges = new ArrayList<>();
        int addressCharges;

        @Override
        public boolean tryMerchant(String mid, AccessPolicy policy) {
            merchantCharges.add(mid);
            return true;
        }

        @Override
        public boolean chargeFailure(InetAddress address) {
            addressCharges++;
            return true;
        }
    }

    private MutableClock time;
    private CountingLimits limits;
    private QueryPipeline pipeline;

    @BeforeAll
    static void seed() {
        db = TestDatabases.create(DatabaseVendor.H2);
        store = new MerchantStore(db.database(), new KeyCipher(MasterKey.random()));
        store.add(GUARDED, "A", KEY);
        store.add(OPEN, "B", OPEN_KEY);
        assertThat(store.setReplayWindow(GUARDED, Duration.ofMinutes(5))).isTrue();
        directory = MerchantDirectory.start(store, Duration.ofHours(1));
    }

    @AfterAll
    static void drop() {
        directory.close();
        db.close();
    }

    @BeforeEach
    void setUp() {
        time = new MutableClock(START);
        limits = new CountingLimits();
        QueryService queries = new QueryService(directory, new OrderStore(db.database()), SHANGHAI, time, null,
                new EventFeed(db.database(), SHANGHAI, Duration.ZERO, time));
        pipeline = new QueryPipeline(queries, limits, 50, new ReplayGuard(new MemoryNoiseLedger(time::nanos), time, SHANGHAI));
    }

    private Map<String, String> signed(Endpoint endpoint, String mid, String key, String noise, boolean stamped) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        if (endpoint != Endpoint.EVENTS) {
            p.put("orderNo", "NOSUCHORDER1");
        }
        p.put("noise", noise);
        if (stamped) {
            p.put("timestamp", RequestTime.format(time.instant(), SHANGHAI));
        }
        p.put("sign", Signer.sign(p, key, SignType.MD5));
        return p;
    }

    private QueryOutcome run(Endpoint endpoint, Map<String, String> params) {
        return pipeline.run(endpoint, params, CLIENT);
    }

    private static ErrorCode refused(QueryOutcome o) {
        assertThat(o).isInstanceOf(QueryOutcome.Refused.class);
        return ((QueryOutcome.Refused) o).code();
    }

    private static Map<String, String> answered(QueryOutcome o) {
        assertThat(o).isInstanceOf(QueryOutcome.Answered.class);
        return ((QueryOutcome.Answered) o).answer().fields();
    }

    @Test
    void aCapturedRequestSentAgainIsNoiseReusedOnEveryEndpoint() {
        for (Endpoint endpoint : List.of(Endpoint.SINGLE, Endpoint.MULTI, Endpoint.BRUSHCARD, Endpoint.EVENTS)) {
            Map<String, String> captured = signed(endpoint, GUARDED, KEY, "cap-" + endpoint.name(), true);
            Map<String, String> first = answered(run(endpoint, captured));
            assertThat(first).as(endpoint.name()).containsEntry("reqNoise", "cap-" + endpoint.name());
            time.set(time.instant().plusSeconds(10));
            assertThat(refused(run(endpoint, new LinkedHashMap<>(captured)))).as(endpoint.name()).isEqualTo(ErrorCode.NOISE_REUSED);
        }
    }

    @Test
    void aCapturedRequestStaysRefusedOnceItsWindowHasPassed() {
        Map<String, String> captured = signed(Endpoint.SINGLE, GUARDED, KEY, "late", true);
        answered(run(Endpoint.SINGLE, captured));
        time.set(time.instant().plus(Duration.ofMinutes(5)).plusSeconds(1));
        assertThat(refused(run(Endpoint.SINGLE, captured))).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        time.set(time.instant().plus(Duration.ofHours(1)));
        assertThat(refused(run(Endpoint.SINGLE, captured))).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
    }

    @Test
    void aRequestThatFailsItsSignatureUsesNoNoise() {
        Map<String, String> forged = signed(Endpoint.SINGLE, GUARDED, "not-the-key", "n1", true);
        assertThat(refused(run(Endpoint.SINGLE, forged))).isEqualTo(ErrorCode.SIGN_ERROR);
        answered(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "n1", true)));
    }

    @Test
    void theTimestampIsCheckedOnlyAfterTheSignature() {
        Map<String, String> forged = signed(Endpoint.SINGLE, GUARDED, "not-the-key", "n1", false);
        assertThat(refused(run(Endpoint.SINGLE, forged))).as("nothing tells an unsigned caller the merchant has replay on")
                .isEqualTo(ErrorCode.SIGN_ERROR);
    }

    @Test
    void anExpiredRequestUsesNoNoise() {
        Instant real = time.instant();
        time.set(real.minus(Duration.ofMinutes(6)));
        Map<String, String> stale = signed(Endpoint.SINGLE, GUARDED, KEY, "n1", true);
        time.set(real);
        assertThat(refused(run(Endpoint.SINGLE, stale))).isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        answered(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "n1", true)));
    }

    @Test
    void aReplayCostsTheAddressNotTheMerchantsRate() {
        Map<String, String> captured = signed(Endpoint.SINGLE, GUARDED, KEY, "n1", true);
        answered(run(Endpoint.SINGLE, captured));
        assertThat(refused(run(Endpoint.SINGLE, captured))).isEqualTo(ErrorCode.NOISE_REUSED);
        assertThat(refused(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "n2", false))))
                .isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
        assertThat(limits.merchantCharges).containsExactly(GUARDED);
        assertThat(limits.addressCharges).isEqualTo(2);
    }

    @Test
    void aMerchantWithoutReplayProtectionIsAnsweredAsBefore() {
        Map<String, String> same = signed(Endpoint.SINGLE, OPEN, OPEN_KEY, "n1", false);
        Map<String, String> first = answered(run(Endpoint.SINGLE, same));
        Map<String, String> again = answered(run(Endpoint.SINGLE, same));
        assertThat(again).containsEntry("reqNoise", "n1").containsEntry("errCode", "ORDER_NOT_EXIST");
        assertThat(first.keySet()).isEqualTo(again.keySet());
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("mid", OPEN);
        odd.put("orderNo", "NOSUCHORDER1");
        odd.put("noise", "n1");
        odd.put("timestamp", "yesterday");
        odd.put("sign", Signer.sign(odd, OPEN_KEY, SignType.MD5));
        assertThat(answered(run(Endpoint.SINGLE, odd))).as("a timestamp is only signed for it").containsEntry("resultCode", "FAIL");
        assertThat(limits.addressCharges).isZero();
    }

    @Test
    void theSameNoiseFromAnotherMerchantIsItsOwn() {
        answered(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "shared", true)));
        answered(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, OPEN, OPEN_KEY, "shared", true)));
    }

    @Test
    void turningItOffReachesTheQueryPathThroughTheDirectory() {
        try {
            assertThat(store.setReplayWindow(GUARDED, null)).isTrue();
            directory.refreshNow();
            answered(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "n1", false)));
        } finally {
            store.setReplayWindow(GUARDED, Duration.ofMinutes(5));
            directory.refreshNow();
        }
        assertThat(refused(run(Endpoint.SINGLE, signed(Endpoint.SINGLE, GUARDED, KEY, "n2", false))))
                .isEqualTo(ErrorCode.TIMESTAMP_EXPIRED);
    }
}
