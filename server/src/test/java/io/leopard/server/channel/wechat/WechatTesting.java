package io.leopard.server.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** What the channel tests share: the merchant of {@link FakeWechat}, its orders, failure checks. */
final class WechatTesting {
    static final String FLOW_NO = "F2026120300000001";

    private WechatTesting() {
    }

    static ChannelCredentials credentials(String signType, Map<String, String> more) {
        Map<String, String> fields = new HashMap<>(more);
        fields.put("appid", FakeWechat.APPID);
        fields.put("mchId", FakeWechat.MCH_ID);
        fields.put("key", FakeWechat.KEY);
        fields.put("signType", signType);
        return new ChannelCredentials("wechat", WechatCredentials.check(fields));
    }

    static ChannelCredentials credentials() {
        return credentials("MD5", Map.of());
    }

    static ChannelOrder order(boolean cardPresent) {
        return new ChannelOrder("M100", "O-1", FLOW_NO, new BigDecimal("12.34"), "wechat", cardPresent,
                Instant.parse("2026-12-03T07:00:00Z"), "req-42");
    }

    static ChannelException failure(ChannelException.Failure expected, ThrowingCallable call) {
        ChannelException e = catchThrowableOfType(ChannelException.class, call);
        assertThat(e).as("a ChannelException").isNotNull();
        assertThat(e.failure()).as(e.getMessage()).isEqualTo(expected);
        assertThat(e.getMessage()).doesNotContain(FakeWechat.KEY);
        return e;
    }
}
