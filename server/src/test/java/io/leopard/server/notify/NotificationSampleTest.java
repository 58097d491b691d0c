package io.leopard.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.FormCodec;
import io.leopard.protocol.OrderState;
import io.leopard.server.order.Order;
import io.leopard.server.order.Scene;
import io.leopard.server.query.OrderFields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact bodies {@link NotificationEvent#signedForm} makes for two sample changes. The SDK's
 * tests verify copies of these bodies (sdk/src/test/.../NotificationVerifyTest; the SDK cannot
 * depend on the server): if this test has to change, the copies there change with it.
 */
class NotificationSampleTest {
    static final String KEY = "9d101c97133837e13dde2d32a5054abb";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static final String PAID_MD5 = "mid=100000510983456&orderNo=M201611101010100002&flowNo=20161101010100198763"
            + "&tradeNo=1217752501201407033233368018&amount=5230.00&type=wechat&status=1&orderTime=20161110101010"
            + "&payTime=20161110101323&eventId=20161101010100198763-2&notifyTime=20161110101325"
            + "&noise=Qm5Zr2Xc8LkP0aTbV7yN3sWd6FhJ1gUe&sign=6E8D2176D05283910FB07AA57983349C";
    static final String CLOSED_HMAC = "mid=100000510983456&orderNo=C201611101040000001&flowNo=20161101040000198765"
            + "&amount=0.01&type=QQwallet&status=3&orderTime=20161110104000&eventId=20161101040000198765-3"
            + "&notifyTime=20161110110000&noise=Zz9Yy8Xx7Ww6&signType=HMAC-SHA256"
            + "&sign=EEEA13CDF76895B7052B3C755A9649F3BCE396EC41603F0709CC5C0B3D95A698";

    private static Order paid() {
        return new Order("100000510983456", "M201611101010100002", "20161101010100198763", "1217752501201407033233368018",
                new BigDecimal("5230.00"), "wechat", Scene.QRCODE, OrderState.SUCCESS, Instant.parse("2016-11-10T02:10:10Z"),
                Instant.parse("2016-11-10T02:13:23Z"));
    }

    @Test
    void aPaidOrderSignedMd5() {
        String body = FormCodec.encode(new NotificationEvent(paid(), 2, null, 1).signedForm(new OrderFields(ZONE), ZONE, KEY,
                "Qm5Zr2Xc8LkP0aTbV7yN3sWd6FhJ1gUe", Instant.parse("2016-11-10T02:13:25Z")));
        assertThat(body).isEqualTo(PAID_MD5);
    }

    @Test
    void aClosedOrderSignedHmacSha256() {
        Order closed = new Order("100000510983456", "C201611101040000001", "20161101040000198765", null,
                new BigDecimal("0.01"), "QQwallet", Scene.QRCODE, OrderState.CLOSED, Instant.parse("2016-11-10T02:40:00Z"), null);
        String body = FormCodec.encode(new NotificationEvent(closed, 3, "HMAC-SHA256", 7).signedForm(new OrderFields(ZONE), ZONE,
                KEY, "Zz9Yy8Xx7Ww6", Instant.parse("2016-11-10T03:00:00Z")));
        assertThat(body).isEqualTo(CLOSED_HMAC);
    }
}
