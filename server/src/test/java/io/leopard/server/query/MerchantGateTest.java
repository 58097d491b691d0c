package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * PROTOCOL.md 4.1's merchant checks against merchants loaded from a real (H2) store: existence,
 * enabled, then the signature with the current key or, until it expires, the previous one.
 */
class MerchantGateTest {
    static final String MID = DemoFixture.MID;
    static final String ROTATED_MID = DemoFixture.OTHER_MID;
    static final String DISABLED_MID = DemoFixture.DISABLED_MID;
    static final String KEY = DemoFixture.KEY;
    static final String OLD_KEY = "oldkey12345678";
    static final String NEW_KEY = "newkey12345678";
    /** When the rotation happened; the old key works for one hour after it. */
    static final Instant ROTATED_AT = Instant.parse("2026-01-02T03:04:05Z");
    static final Instant OLD_KEY_EXPIRES = ROTATED_AT.plus(Duration.ofHours(1));

    private static TestDatabase db;
    private static MerchantDirectory merchants;

    @BeforeAll
    static void merchants() {
        db = TestDatabases.create(DatabaseVendor.H2);
        MerchantStore store = new MerchantStore(db.database(), new KeyCipher(MasterKey.random()),
                Clock.fixed(ROTATED_AT, ZoneOffset.UTC));
        store.add(MID, "Shop", KEY);
        store.add(ROTATED_MID, "Rotated", OLD_KEY);
        store.rotateKey(ROTATED_MID, NEW_KEY, Duration.ofHours(1));
        store.add(DISABLED_MID, "Closed", KEY);
        store.setEnabled(DISABLED_MID, false);
        merchants = MerchantDirectory.start(store, Duration.ofHours(1));
    }

    @AfterAll
    static void close() {
        merchants.close();
        db.close();
    }

    private static MerchantGate gateAt(Instant now) {
        return new MerchantGate(merchants, Clock.fixed(now, ZoneOffset.UTC));
    }

    static QueryRequest signed(String mid, String key, SignType type) throws ProtocolException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mid", mid);
        params.put("orderNo", "M201611101010100002");
        params.put("noise", "abc123");
        if (type != SignType.MD5) {
            params.put("signType", type.wireName());
        }
        params.put("sign", Signer.sign(params, key, type));
        return QueryRequest.parse(Endpoint.SINGLE, params, 50);
    }

    private static String verifiedKeyAt(Instant now, String mid, String signingKey) throws ProtocolException {
        MerchantGate gate = gateAt(now);
        QueryRequest request = signed(mid, signingKey, SignType.MD5);
        return gate.verifiedKey(gate.admit(request), request);
    }

    @Test
    void anUnknownMerchantIsMerchantNotExist() {
        assertThatThrownBy(() -> gateAt(ROTATED_AT).admit(signed("999999999999999", KEY, SignType.MD5)))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.MERCHANT_NOT_EXIST);
    }

    @Test
    void aDisabledMerchantIsMerchantDisabledEvenWithTheRightKey() {
        assertThatThrownBy(() -> gateAt(ROTATED_AT).admit(signed(DISABLED_MID, KEY, SignType.MD5)))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.MERCHANT_DISABLED);
    }

    @Test
    void anEnabledMerchantIsAdmitted() throws Exception {
        Merchant m = gateAt(ROTATED_AT).admit(signed(MID, KEY, SignType.MD5));
        assertThat(m.mid()).isEqualTo(MID);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void theCurrentKeyVerifiesWithEverySignType(SignType type) throws Exception {
        MerchantGate gate = gateAt(ROTATED_AT);
        QueryRequest request = signed(MID, KEY, type);
        assertThat(gate.verifiedKey(gate.admit(request), request)).isEqualTo(KEY);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void anotherKeyIsSignError(SignType type) throws Exception {
        MerchantGate gate = gateAt(ROTATED_AT);
        QueryRequest request = signed(MID, "notthekey123", type);
        Merchant merchant = gate.admit(request);
        assertThatThrownBy(() -> gate.verifiedKey(merchant, request))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.SIGN_ERROR);
    }

    @Test
    void aSignMadeForAnotherMerchantIsSignError() throws Exception {
        MerchantGate gate = gateAt(ROTATED_AT);
        QueryRequest request = signed(ROTATED_MID, KEY, SignType.MD5); // MID's key, ROTATED_MID's request
        Merchant merchant = gate.admit(request);
        assertThatThrownBy(() -> gate.verifiedKey(merchant, request))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.SIGN_ERROR);
    }

    @Test
    void afterARotationTheNewKeyVerifiesAndIsTheKeyOfTheAnswer() throws Exception {
        assertThat(verifiedKeyAt(ROTATED_AT, ROTATED_MID, NEW_KEY)).isEqualTo(NEW_KEY);
        assertThat(verifiedKeyAt(OLD_KEY_EXPIRES.plus(Duration.ofDays(365)), ROTATED_MID, NEW_KEY)).isEqualTo(NEW_KEY);
    }

    @Test
    void thePreviousKeyVerifiesDuringItsGraceAndTheAnswerIsSignedWithIt() throws Exception {
        assertThat(verifiedKeyAt(ROTATED_AT, ROTATED_MID, OLD_KEY)).isEqualTo(OLD_KEY);
        assertThat(verifiedKeyAt(OLD_KEY_EXPIRES.minusMillis(1), ROTATED_MID, OLD_KEY)).isEqualTo(OLD_KEY);
    }

    @Test
    void thePreviousKeyIsSignErrorFromTheMomentItExpires() {
        assertThatThrownBy(() -> verifiedKeyAt(OLD_KEY_EXPIRES, ROTATED_MID, OLD_KEY))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.SIGN_ERROR);
        assertThatThrownBy(() -> verifiedKeyAt(OLD_KEY_EXPIRES.plus(Duration.ofDays(30)), ROTATED_MID, OLD_KEY))
                .extracting(e -> ((ProtocolException) e).code()).isEqualTo(ErrorCode.SIGN_ERROR);
    }

    @Test
    void theSignErrorSaysWhatToCheck() {
        assertThatThrownBy(() -> verifiedKeyAt(ROTATED_AT, MID, "notthekey123"))
                .hasMessageContaining("string-to-sign");
    }
}
