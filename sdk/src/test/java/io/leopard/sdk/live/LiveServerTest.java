package io.leopard.sdk.live;

import static io.leopard.server.testing.LiveLeopard.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayStatus;
import io.leopard.protocol.PayType;
import io.leopard.protocol.SignType;
import io.leopard.sdk.BrushcardOutcome;
import io.leopard.sdk.BrushcardResult;
import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.LeopardProtocolException;
import io.leopard.sdk.MultiResult;
import io.leopard.sdk.OrderResult;
import io.leopard.sdk.SingleResult;
import io.leopard.server.testing.LiveLeopard;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SDK against a real Leopard server (demo fixture, fresh embedded database, random port). */
class LiveServerTest {
    private static LiveLeopard leopard;
    private static TamperingProxy counter;

    @BeforeAll
    static void start() throws Exception {
        leopard = LiveLeopard.startWithoutRateLimits(Map.of());
        counter = new TamperingProxy(leopard.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (counter != null) {
            counter.close();
        }
        if (leopard != null) {
            leopard.close();
        }
    }

    private static LeopardClient client(SignType signType) {
        return LiveClients.client(leopard).signType(signType).build();
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void singlePaidOrder(SignType signType) {
        SingleResult r = client(signType).querySingle(PAID);
        assertThat(r.isFound()).isTrue();
        OrderResult o = r.order();
        assertThat(o.orderNo()).isEqualTo(PAID);
        assertThat(o.isPaid()).isTrue();
        assertThat(o.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(o.status().value()).isEqualTo("1");
        assertThat(o.amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(o.amount().scale()).isEqualTo(2);
        assertThat(o.type()).isEqualTo(PayType.WECHAT);
        assertThat(o.flowNo()).isEqualTo("20161101010100198763");
        assertThat(o.tradeNo()).isEqualTo("1217752501201407033233368018");
        assertThat(o.orderTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 10, 10));
        assertThat(o.payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 23));
        assertThat(o.payInstant()).isEqualTo(Instant.parse("2016-11-10T02:13:23Z"));
    }

    @Test
    void singleInitialOrderHasNoPayTimeNorTradeNo() {
        OrderResult o = client(SignType.MD5).querySingle(INIT).order();
        assertThat(o.status()).isEqualTo(OrderStatus.INITIAL);
        assertThat(o.isPaid()).isFalse();
        assertThat(o.amount()).isEqualTo(new BigDecimal("88.80"));
        assertThat(o.type()).isEqualTo(PayType.ALIPAY);
        assertThat(o.payTime()).isNull();
        assertThat(o.tradeNo()).isNull();
    }

    @Test
    void singleNotFoundAndAnotherMerchantsOrderIsNotFound() {
        LeopardClient c = client(SignType.MD5);
        SingleResult missing = c.querySingle("NOPE1");
        assertThat(missing.isFound()).isFalse();
        assertThat(missing.orderNo()).isEqualTo("NOPE1");
        SingleResult others = c.querySingle(OTHER_MERCHANTS);
        assertThat(others.isFound()).isFalse();
        assertThat(others.orderNo()).isEqualTo(OTHER_MERCHANTS);
    }

    @Test
    void eachMerchantSeesOnlyItsOwnOrders() {
        LeopardClient c2 = LiveClients.client(leopard.baseUrl(), MID2, KEY2).build();
        OrderResult own = c2.querySingle(PAID).order();
        assertThat(own.flowNo()).isEqualTo("20161110105000198776");
        assertThat(own.type()).isEqualTo(PayType.JD);
        assertThat(own.amount()).isEqualTo(new BigDecimal("1.00"));
        assertThat(own.tradeNo()).isEqualTo("JD20161110105000000001");
        assertThat(own.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(c2.querySingle(OTHER_MERCHANTS).isFound()).isTrue();
        assertThat(c2.queryBrushcard(CARD_PAID).isFound()).isFalse();
        // and merchant 456 still gets its own order under the same number
        assertThat(client(SignType.MD5).querySingle(PAID).order().flowNo()).isEqualTo("20161101010100198763");
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void multiFoundMissingAndRepeated(SignType signType) {
        MultiResult r = client(signType).queryMulti(Arrays.asList(PAID, "NOPE1", INIT, PAID, OTHER_MERCHANTS, "NOPE1"));
        assertThat(r.orders()).extracting(OrderResult::orderNo).containsExactly(PAID, "NOPE1", INIT, OTHER_MERCHANTS);
        assertThat(r.orders()).extracting(o -> o.status().value()).containsExactly("1", "6", "0", "6");
        assertThat(r.get(PAID).amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(r.get(PAID).payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 23));
        assertThat(r.get(INIT).payTime()).isNull();
        assertThat(r.get("NOPE1").isFound()).isFalse();
        assertThat(r.get("NOPE1").amount()).isNull();
        assertThat(r.get(OTHER_MERCHANTS).isFound()).isFalse();
    }

    @Test
    void multiOverTheBatchLimitIsSplitAndMergedInOrder() {
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            asked.add(String.format("MISSING%05d", i));
            if (i == 3) {
                asked.add(PAID);
            }
            if (i == 77) {
                asked.add(CARD_PAID);
                asked.add("MISSING00010");   // a repeat, asked once at its first place
            }
            if (i == 128) {
                asked.add(INIT);
            }
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(asked));
        assertThat(distinct).hasSize(133);
        LeopardClient c = LiveClients.client(counter.baseUrl(), MID, KEY).build();
        int before = counter.requests();
        MultiResult r = c.queryMulti(asked);
        assertThat(counter.requests() - before).isEqualTo(3);   // 50 + 50 + 33
        assertThat(r.orders()).extracting(OrderResult::orderNo).containsExactlyElementsOf(distinct);
        for (OrderResult o : r.orders()) {
            boolean real = o.orderNo().equals(PAID) || o.orderNo().equals(CARD_PAID) || o.orderNo().equals(INIT);
            assertThat(o.isFound()).as(o.orderNo()).isEqualTo(real);
        }
        assertThat(r.get(PAID).amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(r.get(CARD_PAID).amount()).isEqualTo(new BigDecimal("50.00"));
        assertThat(r.get(INIT).status()).isEqualTo(OrderStatus.INITIAL);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void brushcardPaidPendingRevoked(SignType signType) {
        LeopardClient c = client(signType);
        BrushcardResult paid = c.queryBrushcard(CARD_PAID);
        assertThat(paid.payStatus()).isEqualTo(PayStatus.PAID);
        assertThat(paid.orderAmount()).isEqualTo(new BigDecimal("50.00"));
        assertThat(paid.succAmount()).isEqualTo(new BigDecimal("50.00"));
        assertThat(paid.flowNo()).isEqualTo("20161110103000198772");
        assertThat(paid.tradeNo()).isEqualTo("4200000001201611103000000001");
        assertThat(paid.payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 30, 4));

        BrushcardResult pending = c.queryBrushcard(CARD_PENDING);
        assertThat(pending.payStatus()).isEqualTo(PayStatus.PENDING);
        assertThat(pending.payStatus().value()).isEqualTo("5");
        assertThat(pending.orderAmount()).isEqualTo(new BigDecimal("12.50"));
        assertThat(pending.succAmount()).isEqualTo(new BigDecimal("0.00"));
        assertThat(pending.payTime()).isNull();

        BrushcardResult revoked = c.queryBrushcard(CARD_REVOKED);
        assertThat(revoked.payStatus()).isEqualTo(PayStatus.REVOKED);
        assertThat(revoked.payStatus().value()).isEqualTo("10");
        assertThat(revoked.orderAmount()).isEqualTo(new BigDecimal("8.00"));
        assertThat(revoked.succAmount()).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void brushcardOfAnOrderNotTakenCardPresentIsNotFound() {
        LeopardClient c = client(SignType.MD5);
        assertThat(c.queryBrushcard(PAID).isFound()).isFalse();
        assertThat(c.queryBrushcard("NOPE1").isFound()).isFalse();
    }

    @Test
    void awaitBrushcardOnAPendingOrderEndsWithRevokeIt() {
        LeopardClient c = LiveClients.client(leopard).brushcardPolling(3, Duration.ofMillis(50)).build();
        BrushcardOutcome o = c.awaitBrushcard(CARD_PENDING);
        assertThat(o.state()).isEqualTo(BrushcardOutcome.State.STILL_PENDING_REVOKE_IT);
        assertThat(o.mustRevoke()).isTrue();
        assertThat(o.queries()).isEqualTo(3);
        assertThat(o.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(o.result().payStatus()).isEqualTo(PayStatus.PENDING);
    }

    @Test
    void awaitBrushcardOnFinalOrdersEndsAtTheFirstQuery() {
        LeopardClient c = LiveClients.client(leopard).brushcardPolling(3, Duration.ofMillis(50)).build();
        BrushcardOutcome paid = c.awaitBrushcard(CARD_PAID);
        assertThat(paid.state()).isEqualTo(BrushcardOutcome.State.PAID);
        assertThat(paid.mustRevoke()).isFalse();
        assertThat(paid.queries()).isEqualTo(1);
        assertThat(paid.result().succAmount()).isEqualTo(new BigDecimal("50.00"));
        assertThat(c.awaitBrushcard(CARD_REVOKED).state()).isEqualTo(BrushcardOutcome.State.REVOKED);
        assertThat(c.awaitBrushcard("NOPE1").state()).isEqualTo(BrushcardOutcome.State.NOT_FOUND);
    }

    @Test
    void aDisabledMerchantIsAProtocolError() {
        LeopardClient c = LiveClients.client(leopard.baseUrl(), MID_DISABLED, KEY_DISABLED).build();
        assertThatThrownBy(() -> c.querySingle(PAID))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
                    assertThat(e.errCode()).isEqualTo("MERCHANT_DISABLED");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.MERCHANT_DISABLED);
                    assertThat(e.isBusinessError()).isFalse();
                    assertThat(e.retries()).isZero();
                });
    }

    @Test
    void anUnknownMerchantIsAProtocolError() {
        LeopardClient c = LiveClients.client(leopard.baseUrl(), "999999999999999", KEY).build();
        assertThatThrownBy(() -> c.querySingle(PAID))
                .isInstanceOfSatisfying(LeopardProtocolException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.MERCHANT_NOT_EXIST));
    }

    @Test
    void aWrongKeyIsSignErrorAndIsNotRetried() {
        String wrongKey = "wrongwrongwrongwrong";
        LeopardClient c = LiveClients.client(counter.baseUrl(), MID, wrongKey).build();   // default retries on
        int before = counter.requests();
        assertThatThrownBy(() -> c.querySingle(PAID))
                .isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
                    assertThat(e.errCode()).isEqualTo("SIGN_ERROR");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SIGN_ERROR);
                    assertThat(e.retries()).isZero();
                    assertThat(e.getMessage()).doesNotContain(wrongKey);
                });
        assertThat(counter.requests() - before).isEqualTo(1);
        assertThatThrownBy(() -> c.queryMulti(List.of(PAID, INIT))).isInstanceOf(LeopardProtocolException.class);
        assertThatThrownBy(() -> c.queryBrushcard(CARD_PAID)).isInstanceOf(LeopardProtocolException.class);
        assertThat(counter.requests() - before).isEqualTo(3);
    }

    @Test
    void aPathPrefixIsPartOfTheBaseUrl() {
        try (LiveLeopard v2 = LiveLeopard.startWithoutRateLimits(Map.of("path-prefix", "/v2"))) {
            assertThat(v2.baseUrl()).endsWith("/v2");
            LeopardClient c = LiveClients.client(v2.baseUrl(), MID, KEY).build();
            assertThat(c.querySingle(PAID).order().amount()).isEqualTo(new BigDecimal("5230.00"));
            assertThat(c.queryMulti(List.of(PAID, "NOPE1")).size()).isEqualTo(2);
            assertThat(c.queryBrushcard(CARD_PAID).payStatus()).isEqualTo(PayStatus.PAID);
            // a trailing slash is fine too
            assertThat(LiveClients.client(v2.baseUrl() + "/", MID, KEY).build().querySingle(PAID).isFound()).isTrue();

            String root = v2.baseUrl().substring(0, v2.baseUrl().length() - "/v2".length());
            LeopardClient noPrefix = LiveClients.client(root, MID, KEY).build();
            assertThatThrownBy(() -> noPrefix.querySingle(PAID))
                    .isInstanceOfSatisfying(LeopardProtocolException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(e.httpStatus()).isEqualTo(404);
                    });
        }
    }
}
