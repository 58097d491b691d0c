package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.Scene;
import io.leopard.server.order.TestOrders;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Answers built from a real (H2) order store: each merchant sees only its own orders, even where
 * two share an order number, and every answer is signed with the key the request used.
 */
class QueryServiceTest {
    private static final String MID = DemoFixture.MID;
    private static final String OTHER_MID = DemoFixture.OTHER_MID;
    private static final String KEY = DemoFixture.KEY;
    private static final String OTHER_KEY = DemoFixture.OTHER_KEY;
    private static final String SHARED_NO = "M201611101010100002";
    private static final Instant ORDER_TIME = Instant.parse("2016-11-10T02:10:10Z");
    private static final Instant PAY_TIME = Instant.parse("2016-11-10T02:13:23Z");

    private static TestDatabase db;
    private static MerchantDirectory merchants;
    private static QueryService service;

    @BeforeAll
    static void ordersOfTwoMerchants() {
        db = TestDatabases.create(DatabaseVendor.H2);
        MerchantStore store = new MerchantStore(db.database(), new KeyCipher(MasterKey.random()));
        store.add(MID, "Shop", KEY);
        store.add(OTHER_MID, "Other shop", OTHER_KEY);
        OrderStore orders = new OrderStore(db.database());
        TestOrders.load(orders, List.of(
                order(MID, SHARED_NO, "F1", "T1", "5230.00", Scene.QRCODE, OrderState.SUCCESS),
                order(OTHER_MID, SHARED_NO, "F2", null, "1.00", Scene.QRCODE, OrderState.INIT),
                order(MID, "ONLYMINE", "F3", "T3", "9.90", Scene.QRCODE, OrderState.CLOSED),
                order(OTHER_MID, "ONLYTHEIRS", "F4", "T4", "7.00", Scene.QRCODE, OrderState.SUCCESS),
                order(MID, "CARD1", "F5", "T5", "12.00", Scene.BRUSHCARD, OrderState.SUCCESS),
                order(MID, "CARD2", "F6", "T6", "13.00", Scene.BRUSHCARD, OrderState.REVOKED),
                order(MID, "CARD3", "F7", null, "14.00", Scene.BRUSHCARD, OrderState.INIT),
                order(OTHER_MID, "CARDTHEIRS", "F8", "T8", "15.00", Scene.BRUSHCARD, OrderState.SUCCESS)));
        merchants = MerchantDirectory.start(store, Duration.ofHours(1));
        service = new QueryService(merchants, orders, ZoneId.of("Asia/Shanghai"), Clock.systemUTC());
    }

    @AfterAll
    static void close() {
        merchants.close();
        db.close();
    }

    private static Order order(String mid, String orderNo, String flowNo, String tradeNo, String amount, Scene scene,
                               OrderState state) {
        return new Order(mid, orderNo, flowNo, tradeNo, new BigDecimal(amount), "wechat", scene, state, ORDER_TIME,
                state == OrderState.INIT ? null : PAY_TIME);
    }

    private static QueryRequest request(Endpoint endpoint, String mid, String orderNo, String key, SignType type)
            throws ProtocolException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("mid", mid);
        params.put("orderNo", orderNo);
        params.put("noise", "abc123");
        if (type != null) {
            params.put("signType", type.wireName());
        }
        params.put("sign", Signer.sign(params, key, type == null ? SignType.MD5 : type));
        return QueryRequest.parse(endpoint, params, 50);
    }

    /** The answer to a correctly signed request, after the same admission and signature check as the handler's. */
    private static Answer ask(Endpoint endpoint, String mid, String orderNo, String key) throws ProtocolException {
        QueryRequest request = request(endpoint, mid, orderNo, key, null);
        return service.answer(request, service.verify(service.admit(request), request));
    }

    @Test
    void aSharedOrderNumberAnswersEachMerchantWithItsOwnOrder() throws Exception {
        Map<String, String> mine = ask(Endpoint.SINGLE, MID, SHARED_NO, KEY).fields();
        Map<String, String> theirs = ask(Endpoint.SINGLE, OTHER_MID, SHARED_NO, OTHER_KEY).fields();
        assertThat(mine).containsEntry("mid", MID).containsEntry("flowNo", "F1").containsEntry("amount", "5230.00")
                .containsEntry("status", "1");
        assertThat(theirs).containsEntry("mid", OTHER_MID).containsEntry("flowNo", "F2").containsEntry("amount", "1.00")
                .containsEntry("status", "0");
    }

    @Test
    void anotherMerchantsOrderIsOrderNotExist() throws Exception {
        Answer answer = ask(Endpoint.SINGLE, MID, "ONLYTHEIRS", KEY);
        assertThat(answer.resultCode()).isEqualTo("ORDER_NOT_EXIST");
        assertThat(answer.fields()).containsEntry("code", "SUCCESS").containsEntry("resultCode", "FAIL")
                .containsEntry("errCode", "ORDER_NOT_EXIST").containsKey("errCodeDes")
                .doesNotContainKeys("flowNo", "amount", "tradeNo");
        assertThat(answer.fields().keySet()).as("the order asked about, then the request's noise: PROTOCOL.md 4.4")
                .containsExactly("code", "msg", "resultCode", "mid", "noise", "errCode", "errCodeDes", "orderNo", "reqNoise", "sign");
        assertThat(answer.fields()).containsEntry("orderNo", "ONLYTHEIRS").containsEntry("reqNoise", "abc123");
        assertThat(ask(Endpoint.BRUSHCARD, MID, "CARDTHEIRS", KEY).fields()).containsEntry("orderNo", "CARDTHEIRS");
    }

    @Test
    void everyAnswerEchoesTheRequestsNoiseSignedBeforeTheSignType() throws Exception {
        for (Endpoint endpoint : List.of(Endpoint.SINGLE, Endpoint.MULTI, Endpoint.BRUSHCARD)) {
            QueryRequest request = request(endpoint, MID, SHARED_NO, KEY, SignType.SHA256);
            Map<String, String> fields = service.answer(request, KEY).fields();
            assertThat(fields).as(endpoint.name()).containsEntry("reqNoise", "abc123");
            assertThat(fields.get("noise")).as("the server's own noise is another").isNotEqualTo("abc123");
            List<String> names = List.copyOf(fields.keySet());
            assertThat(names.subList(names.size() - 3, names.size())).containsExactly("reqNoise", "signType", "sign");
            assertThat(Signer.verify(fields, KEY, SignType.SHA256, fields.get("sign"))).isTrue();
            Map<String, String> unbound = new LinkedHashMap<>(fields);
            unbound.remove("reqNoise");
            assertThat(Signer.verify(unbound, KEY, SignType.SHA256, fields.get("sign"))).as("reqNoise is signed").isFalse();
        }
    }

    @Test
    void aBatchHoldsOnlyTheAskingMerchantsOrders() throws Exception {
        Answer answer = ask(Endpoint.MULTI, MID, SHARED_NO + ",ONLYTHEIRS,ONLYMINE", KEY);
        assertThat(answer.resultCode()).isEqualTo("SUCCESS");
        assertThat(answer.fields().get("orders")).isEqualTo("["
                + "{\"orderNo\":\"M201611101010100002\",\"flowNo\":\"F1\",\"tradeNo\":\"T1\",\"amount\":5230.00,"
                + "\"type\":\"wechat\",\"status\":\"1\",\"orderTime\":\"20161110101010\",\"payTime\":\"20161110101323\"},"
                + "{\"orderNo\":\"ONLYTHEIRS\",\"status\":\"6\"},"
                + "{\"orderNo\":\"ONLYMINE\",\"flowNo\":\"F3\",\"tradeNo\":\"T3\",\"amount\":9.90,"
                + "\"type\":\"wechat\",\"status\":\"3\",\"orderTime\":\"20161110101010\"}]");
    }

    @Test
    void brushcardAnswersOnlyTheMerchantsOwnCardPresentOrders() throws Exception {
        assertThat(ask(Endpoint.BRUSHCARD, MID, "CARDTHEIRS", KEY).resultCode()).isEqualTo("ORDER_NOT_EXIST");
        assertThat(ask(Endpoint.BRUSHCARD, MID, SHARED_NO, KEY).resultCode())
                .as("a QR-code order is not card-present").isEqualTo("ORDER_NOT_EXIST");
        assertThat(ask(Endpoint.BRUSHCARD, OTHER_MID, "CARDTHEIRS", OTHER_KEY).fields())
                .containsEntry("flowNo", "F8").containsEntry("payStatus", "1");
    }

    @Test
    void brushcardCountsOnlyAKeptPaymentAsSucceeded() throws Exception {
        assertThat(ask(Endpoint.BRUSHCARD, MID, "CARD1", KEY).fields()).containsEntry("payStatus", "1")
                .containsEntry("orderNo", "CARD1").containsEntry("flowNo", "F5").containsEntry("tradeNo", "T5")
                .containsEntry("orderAmount", "12.00").containsEntry("succAmount", "12.00")
                .containsEntry("payTime", "20161110101323");
        assertThat(ask(Endpoint.BRUSHCARD, MID, "CARD2", KEY).fields()).containsEntry("payStatus", "10")
                .containsEntry("orderAmount", "13.00").containsEntry("succAmount", "0.00")
                .containsEntry("payTime", "20161110101323");
        assertThat(ask(Endpoint.BRUSHCARD, MID, "CARD3", KEY).fields()).containsEntry("payStatus", "5")
                .containsEntry("succAmount", "0.00").doesNotContainKeys("payTime", "tradeNo");
    }

    @Test
    void singleAnswersCarryTheOrderFieldsInWireOrderAndSignLast() throws Exception {
        Map<String, String> fields = ask(Endpoint.SINGLE, MID, SHARED_NO, KEY).fields();
        assertThat(fields.keySet()).containsExactly("code", "msg", "resultCode", "mid", "noise", "orderNo", "flowNo",
                "tradeNo", "amount", "type", "status", "orderTime", "payTime", "reqNoise", "sign");
        assertThat(ask(Endpoint.SINGLE, MID, "ONLYMINE", KEY).fields()).as("a closed order has no payTime")
                .doesNotContainKey("payTime");
    }

    @Test
    void theAnswerIsSignedWithTheGivenKeyAndTheRequestsSignType() throws Exception {
        for (SignType type : SignType.values()) {
            QueryRequest request = request(Endpoint.SINGLE, MID, SHARED_NO, KEY, type);
            Map<String, String> fields = service.answer(request, "answerkey123").fields();
            assertThat(fields).containsEntry("signType", type.wireName());
            assertThat(Signer.verify(fields, "answerkey123", type, fields.get("sign"))).as(type.name()).isTrue();
            assertThat(Signer.verify(fields, KEY, type, fields.get("sign"))).isFalse();
        }
        Map<String, String> md5 = ask(Endpoint.SINGLE, MID, SHARED_NO, KEY).fields();
        assertThat(md5).as("no signType sent, none echoed").doesNotContainKey("signType");
        assertThat(Signer.verify(md5, KEY, SignType.MD5, md5.get("sign"))).isTrue();
    }

    @Test
    void everyAnswerHasItsOwnNoiseOf32LettersAndDigits() throws Exception {
        Set<String> seen = new HashSet<>();
        Set<Integer> letters = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String noise = ask(Endpoint.SINGLE, MID, SHARED_NO, KEY).fields().get("noise");
            assertThat(noise).matches("[A-Za-z0-9]{32}");
            seen.add(noise);
            noise.chars().forEach(letters::add);
        }
        assertThat(seen).hasSize(50);
        // 1600 draws from 62 characters: all of them, bar a freak (each is missed with p < 1e-10)
        assertThat(letters).hasSizeGreaterThan(55);
    }
    /**
     * Every shape of a signed answer (paid, pending without tradeNo, closed, not found, batch with
     * found and missing orders, card-present paid, revoked, pending and not found; each sign type)
     * is written byte for byte as Jackson wrote it, and signed as the generic sort of its names
     * signs it: the known-name order and the hand-written JSON change no byte of the wire.
     */
    @Test
    void everyAnswerShapeIsWrittenAndSignedAsBefore() throws Exception {
        List<Object[]> asks = List.of(
                new Object[] {Endpoint.SINGLE, SHARED_NO}, new Object[] {Endpoint.SINGLE, "ONLYMINE"},
                new Object[] {Endpoint.SINGLE, "CARD3"}, new Object[] {Endpoint.SINGLE, "ONLYTHEIRS"},
                new Object[] {Endpoint.MULTI, SHARED_NO + ",ONLYTHEIRS,ONLYMINE,CARD3"},
                new Object[] {Endpoint.BRUSHCARD, "CARD1"}, new Object[] {Endpoint.BRUSHCARD, "CARD2"},
                new Object[] {Endpoint.BRUSHCARD, "CARD3"}, new Object[] {Endpoint.BRUSHCARD, SHARED_NO});
        for (Object[] ask : asks) {
            for (SignType type : new SignType[] {null, SignType.MD5, SignType.SHA1, SignType.SHA256, SignType.HMAC_SHA256}) {
                QueryRequest request = request((Endpoint) ask[0], MID, (String) ask[1], KEY, type);
                Map<String, String> fields = service.answer(request, KEY).fields();
                String what = ask[0] + " " + ask[1] + " " + type;
                assertThat(JsonWriter.object(fields)).as(what).isEqualTo(JacksonJson.object(fields));
                assertThat(fields.get("sign")).as(what).isEqualTo(sortedSign(fields, KEY, type == null ? SignType.MD5 : type));
            }
        }
    }

    /** PROTOCOL.md 3 the long way: stringA from the generic sort of the names, then the key, then the digest. */
    private static String sortedSign(Map<String, String> fields, String key, SignType type) throws Exception {
        byte[] text = (Signer.stringA(fields) + "&" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] digest;
        if (type == SignType.HMAC_SHA256) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            digest = mac.doFinal(text);
        } else {
            String name = type == SignType.MD5 ? "MD5" : type == SignType.SHA1 ? "SHA-1" : "SHA-256";
            digest = java.security.MessageDigest.getInstance(name).digest(text);
        }
        return java.util.HexFormat.of().withUpperCase().formatHex(digest);
    }
}
