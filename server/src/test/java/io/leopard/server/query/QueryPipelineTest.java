package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.access.Limits;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
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
 * The protocol pipeline without a socket, on a real embedded database: the order of its checks
 * (PROTOCOL §4.1), what each failure costs the address, and that only a verified request is
 * answered or charged to its merchant.
 */
class QueryPipelineTest {
    private static final String MID = DemoFixture.MID;
    private static final String OTHER = DemoFixture.OTHER_MID;
    private static final String KEY = DemoFixture.KEY;
    private static final String OTHER_KEY = DemoFixture.OTHER_KEY;
    private static final String ORDER = "M201611101010100002";
    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private static TestDatabase db;
    private static MerchantDirectory directory;
    private static QueryService queries;

    /** Limits that say yes until told otherwise, and count what they were asked. */
    private final class CountingLimits implements Limits {
        boolean merchantAllowed = true;
        boolean addressAllowed = true;
        final List<String> merchantCharges = new ArrayList<>();
        int addressCharges;

        @Override
        public boolean tryMerchant(String mid, AccessPolicy policy) {
            merchantCharges.add(mid);
            return merchantAllowed;
        }

        @Override
        public boolean chargeFailure(InetAddress address) {
            addressCharges++;
            return addressAllowed;
        }
    }

    private CountingLimits limits;
    private QueryPipeline pipeline;

    @BeforeAll
    static void seed() {
        db = TestDatabases.create(DatabaseVendor.H2);
        MerchantStore store = new MerchantStore(db.database(), new KeyCipher(MasterKey.random()));
        store.add(MID, "A", KEY);
        store.add(OTHER, "B", OTHER_KEY);
        store.add(DemoFixture.DISABLED_MID, "C", DemoFixture.DISABLED_KEY);
        store.setEnabled(DemoFixture.DISABLED_MID, false);
        store.setAllowList(OTHER, CidrRange.parseList("203.0.113.0/24"));
        String csv = "mid,orderNo,flowNo,tradeNo,amount,type,scene,state,orderTime,payTime\n"
                + MID + "," + ORDER + ",F1,T1,5230.00,wechat,qrcode,SUCCESS,20161110101010,20161110101323\n";
        new OrderImporter(new OrderStore(db.database()), ZoneId.of("Asia/Shanghai"))
                .importFrom(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), OrderImporter.Format.CSV);
        directory = MerchantDirectory.start(store, Duration.ofHours(1));
        queries = new QueryService(directory, new OrderStore(db.database()), ZoneId.of("Asia/Shanghai"), Clock.systemUTC());
    }

    @AfterAll
    static void drop() {
        directory.close();
        db.close();
    }

    @BeforeEach
    void setUp() {
        limits = new CountingLimits();
        pipeline = new QueryPipeline(queries, limits, 50);
    }

    private static Map<String, String> signed(String mid, String key, String orderNo) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("mid", mid);
        p.put("orderNo", orderNo);
        p.put("noise", "n1");
        p.put("sign", Signer.sign(p, key, SignType.MD5));
        return p;
    }

    private QueryOutcome run(Map<String, String> params) {
        return pipeline.run(Endpoint.SINGLE, params, CLIENT);
    }

    private static ErrorCode refused(QueryOutcome o) {
        assertThat(o).isInstanceOf(QueryOutcome.Refused.class);
        return ((QueryOutcome.Refused) o).code();
    }

    @Test
    void aVerifiedRequestIsAnsweredSignedWithItsKeyAndChargedToItsMerchant() {
        QueryOutcome o = run(signed(MID, KEY, ORDER));
        assertThat(o).isInstanceOf(QueryOutcome.Answered.class);
        Map<String, String> fields = ((QueryOutcome.Answered) o).answer().fields();
        assertThat(fields).containsEntry("resultCode", "SUCCESS").containsEntry("orderNo", ORDER);
        assertThat(Signer.verify(fields, KEY, SignType.MD5, fields.get("sign"))).isTrue();
        assertThat(limits.merchantCharges).containsExactly(MID);
        assertThat(limits.addressCharges).isZero();
    }

    @Test
    void anotherMerchantsOrderIsNotExistForIt() throws Exception {
        Map<String, String> p = signed(MID, KEY, ORDER);
        assertThat(((QueryOutcome.Answered) run(p)).answer().resultCode()).isEqualTo("SUCCESS");
        QueryOutcome o = pipeline.run(Endpoint.SINGLE, signed(OTHER, OTHER_KEY, ORDER), InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}));
        assertThat(((QueryOutcome.Answered) o).answer().resultCode()).isEqualTo("ORDER_NOT_EXIST");
    }

    @Test
    void eachCheckInTheProtocolsOrder() {
        Map<String, String> noMid = signed(MID, KEY, ORDER);
        noMid.remove("mid");
        assertThat(refused(run(noMid))).isEqualTo(ErrorCode.PARAM_ERROR);

        Map<String, String> badType = signed(MID, KEY, ORDER);
        badType.put("signType", "SM3");
        assertThat(refused(run(badType))).isEqualTo(ErrorCode.SIGN_TYPE_UNSUPPORTED);

        assertThat(refused(run(signed("100000510989999", KEY, ORDER)))).isEqualTo(ErrorCode.MERCHANT_NOT_EXIST);
        assertThat(refused(run(signed(DemoFixture.DISABLED_MID, DemoFixture.DISABLED_KEY, ORDER)))).isEqualTo(ErrorCode.MERCHANT_DISABLED);
        // the allow-list before the signature: a wrong key from outside it learns nothing about the key
        assertThat(refused(run(signed(OTHER, "wrong-key-wrong-key", ORDER)))).isEqualTo(ErrorCode.IP_FORBIDDEN);
        assertThat(refused(run(signed(MID, "wrong-key-wrong-key", ORDER)))).isEqualTo(ErrorCode.SIGN_ERROR);
        assertThat(limits.addressCharges).as("every failure before a good signature costs the address").isEqualTo(6);
        assertThat(limits.merchantCharges).as("and never a merchant").isEmpty();
    }

    @Test
    void aMerchantOverItsRateIsFrequencyLimitedWithoutCostingItsAddress() {
        limits.merchantAllowed = false;
        assertThat(refused(run(signed(MID, KEY, ORDER)))).isEqualTo(ErrorCode.FREQUENCY_LIMITED);
        assertThat(limits.addressCharges).isZero();
    }

    @Test
    void anAddressOverItsFailuresIsToldOnlyFrequencyLimitedButItsSignedRequestsAreServed() {
        limits.addressAllowed = false;
        assertThat(refused(run(signed(MID, "wrong-key-wrong-key", ORDER)))).isEqualTo(ErrorCode.FREQUENCY_LIMITED);
        assertThat(refused(run(signed("100000510989999", KEY, ORDER)))).isEqualTo(ErrorCode.FREQUENCY_LIMITED);
        assertThat(run(signed(MID, KEY, ORDER))).isInstanceOf(QueryOutcome.Answered.class);
    }

    @Test
    void httpLevelFailuresAreChargedButKeepTheirStatus() {
        limits.addressAllowed = false;
        QueryOutcome.Refused r = pipeline.refuse(new ProtocolException(ErrorCode.NOT_FOUND), CLIENT);
        assertThat(r.code()).isEqualTo(ErrorCode.NOT_FOUND);
        assertThat(r.httpStatus()).isEqualTo(404);
        assertThat(limits.addressCharges).isEqualTo(1);
        QueryOutcome.Refused limited = pipeline.refuse(new ProtocolException(ErrorCode.FREQUENCY_LIMITED), CLIENT);
        assertThat(limited.code()).isEqualTo(ErrorCode.FREQUENCY_LIMITED);
        assertThat(limits.addressCharges).as("a merchant's own limit is not the address's failure").isEqualTo(1);
    }
}
