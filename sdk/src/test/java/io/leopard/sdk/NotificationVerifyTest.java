package io.leopard.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.OrderStatus;
import io.leopard.protocol.PayType;
import io.leopard.protocol.SignType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Notifications verified fail closed. The two bodies are copies of what the server's
 * {@code NotificationEvent.signedForm} makes (pinned by the server's NotificationSampleTest, from
 * which they are copied: the SDK's tests cannot depend on the server's main code).
 */
class NotificationVerifyTest {
    private static final String MID = "100000510983456";
    private static final String KEY = "9d101c97133837e13dde2d32a5054abb";
    private static final String PAID_MD5 = "mid=100000510983456&orderNo=M201611101010100002&flowNo=20161101010100198763"
            + "&tradeNo=1217752501201407033233368018&amount=5230.00&type=wechat&status=1&orderTime=20161110101010"
            + "&payTime=20161110101323&eventId=20161101010100198763-2&notifyTime=20161110101325"
            + "&noise=Qm5Zr2Xc8LkP0aTbV7yN3sWd6FhJ1gUe&sign=6E8D2176D05283910FB07AA57983349C";
    private static final String CLOSED_HMAC = "mid=100000510983456&orderNo=C201611101040000001&flowNo=20161101040000198765"
            + "&amount=0.01&type=QQwallet&status=3&orderTime=20161110104000&eventId=20161101040000198765-3"
            + "&notifyTime=20161110110000&noise=Zz9Yy8Xx7Ww6&signType=HMAC-SHA256"
            + "&sign=EEEA13CDF76895B7052B3C755A9649F3BCE396EC41603F0709CC5C0B3D95A698";

    private final LeopardNotifications notifications = LeopardNotifications.builder().mid(MID).key(KEY).build();

    private static Map<String, String> params(String body) throws Exception {
        return new LinkedHashMap<>(FormCodec.decode(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Test
    void theServersPaidNotificationVerifiesWithEveryField() {
        Notification n = notifications.verify(PAID_MD5);
        assertThat(n.mid()).isEqualTo(MID);
        assertThat(n.eventId()).isEqualTo("20161101010100198763-2");
        assertThat(n.version()).isEqualTo(2);
        assertThat(n.orderNo()).isEqualTo("M201611101010100002");
        assertThat(n.flowNo()).isEqualTo("20161101010100198763");
        assertThat(n.tradeNo()).isEqualTo("1217752501201407033233368018");
        assertThat(n.amount()).hasToString("5230.00");
        assertThat(n.type()).isEqualTo(PayType.WECHAT);
        assertThat(n.status()).isEqualTo(OrderStatus.SUCCESS);
        assertThat(n.orderTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 10, 10));
        assertThat(n.payTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 23));
        assertThat(n.notifyTime()).isEqualTo(LocalDateTime.of(2016, 11, 10, 10, 13, 25));
    }

    @Test
    void theServersHmacNotificationVerifiesByItsSignTypeAndLeavesAbsentFieldsNull() throws Exception {
        Notification n = notifications.verify(params(CLOSED_HMAC));
        assertThat(n.status()).isEqualTo(OrderStatus.CLOSED);
        assertThat(n.tradeNo()).isNull();
        assertThat(n.payTime()).isNull();
        assertThat(n.amount()).hasToString("0.01");
        assertThat(LeopardNotifications.builder().mid(MID).key(KEY).signType(SignType.HMAC_SHA256).build()
                .verify(CLOSED_HMAC).eventId()).isEqualTo("20161101040000198765-3");
    }

    @Test
    void aTamperedNotificationIsRefused() {
        assertThatThrownBy(() -> notifications.verify(PAID_MD5.replace("amount=5230.00", "amount=5230.01")))
                .isInstanceOf(LeopardSignatureException.class).hasMessageContaining("does not match");
        assertThatThrownBy(() -> notifications.verify(PAID_MD5.replace("status=1", "status=2")))
                .isInstanceOf(LeopardSignatureException.class);
        // the same amount written otherwise is other text: numbers are signed by their literal
        assertThatThrownBy(() -> notifications.verify(PAID_MD5.replace("amount=5230.00", "amount=5230.0")))
                .isInstanceOf(LeopardSignatureException.class);
        assertThatThrownBy(() -> notifications.verify(PAID_MD5 + "&extra=1")).isInstanceOf(LeopardSignatureException.class);
        assertThatThrownBy(() -> notifications.verify(PAID_MD5.replace("&sign=6E8D2176D05283910FB07AA57983349C", "")))
                .isInstanceOf(LeopardSignatureException.class).hasMessageContaining("not signed");
        assertThatThrownBy(() -> LeopardNotifications.builder().mid(MID).key("another-key").build().verify(PAID_MD5))
                .isInstanceOf(LeopardSignatureException.class).hasMessageNotContaining(KEY);
    }

    @Test
    void theSignTypeIsHonouredAndCanBePinned() {
        // an HMAC notification relabelled MD5 no longer verifies; nor does an unknown sign type
        assertThatThrownBy(() -> notifications.verify(CLOSED_HMAC.replace("signType=HMAC-SHA256", "signType=MD5")))
                .isInstanceOf(LeopardSignatureException.class);
        assertThatThrownBy(() -> notifications.verify(CLOSED_HMAC.replace("signType=HMAC-SHA256", "signType=SHA512")))
                .isInstanceOf(LeopardSignatureException.class).hasMessageContaining("SHA512");
        LeopardNotifications pinned = LeopardNotifications.builder().mid(MID).key(KEY).signType(SignType.HMAC_SHA256).build();
        assertThatThrownBy(() -> pinned.verify(PAID_MD5)).isInstanceOf(LeopardSignatureException.class)
                .hasMessageContaining("expected HMAC-SHA256");
    }

    @Test
    void unknownFieldsAreAcceptedWhenSigned() throws Exception {
        Map<String, String> p = params(PAID_MD5);
        p.put("attach", "anything new");
        p.put("sign", TestSupport.sign(p, KEY, "MD5"));
        assertThat(notifications.verify(p).eventId()).isEqualTo("20161101010100198763-2");
        p.put("sign", p.get("sign").toLowerCase());
        assertThat(notifications.verify(p).version()).isEqualTo(2); // either hex case
    }

    @Test
    void aGenuineNotificationThatBreaksTheContractIsAResponseError() throws Exception {
        assertThat(refusal(p -> p.put("mid", "100000510983457"))).hasMessageContaining("not " + MID);
        assertThat(refusal(p -> p.remove("eventId"))).hasMessageContaining("no eventId");
        assertThat(refusal(p -> p.put("eventId", "OTHERFLOW-2"))).hasMessageContaining("eventId");
        assertThat(refusal(p -> p.put("eventId", "20161101010100198763-02"))).hasMessageContaining("eventId");
        assertThat(refusal(p -> p.put("amount", "5,230.00"))).hasMessageContaining("amount");
        assertThat(refusal(p -> p.put("notifyTime", "2016-11-10"))).hasMessageContaining("notifyTime");
        assertThat(refusal(p -> p.remove("orderTime"))).hasMessageContaining("orderTime");
        assertThat(refusal(p -> p.put("status", "6"))).hasMessageContaining("status 6");
        assertThatThrownBy(() -> notifications.verify("mid=1&mid=2")).isInstanceOf(LeopardResponseException.class)
                .hasMessageContaining("well-formed");
        assertThatThrownBy(() -> notifications.verify("a=%zz")).isInstanceOf(LeopardResponseException.class);
    }

    /** What a correctly signed notification changed by {@code change} is refused with. */
    private LeopardResponseException refusal(java.util.function.Consumer<Map<String, String>> change) throws Exception {
        Map<String, String> p = params(PAID_MD5);
        change.accept(p);
        p.put("sign", TestSupport.sign(p, KEY, "MD5"));
        try {
            notifications.verify(p);
        } catch (LeopardResponseException e) {
            assertThat(e.getMessage()).doesNotContain(KEY);
            return e;
        }
        throw new AssertionError("accepted " + p);
    }

    @Test
    void theBuilderNeedsMidAndKeyAndNeverShowsTheKey() {
        assertThatThrownBy(() -> LeopardNotifications.builder().key(KEY).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LeopardNotifications.builder().mid(MID).build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LeopardNotifications.builder().mid("123")).isInstanceOf(IllegalArgumentException.class);
        assertThat(notifications.toString()).doesNotContain(KEY).contains(MID);
    }
}
