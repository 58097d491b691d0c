package io.leopard.server;

import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.alipay.AlipayChannel;
import io.leopard.server.channel.sandbox.SandboxChannel;
import io.leopard.server.channel.wechat.WechatChannel;
import java.time.Clock;
import java.util.List;

/**
 * The channels a server speaks: the sandbox, WeChat Pay (v2) and Alipay. Here, above the channel
 * packages, so that the SPI never depends on its adapters.
 */
public final class StandardChannels {
    private StandardChannels() {
    }

    public static Channels create(ChannelSettings settings, ChannelHttp http, Clock clock) {
        return new Channels(List.of(new SandboxChannel(clock), new WechatChannel(settings, http, clock),
                new AlipayChannel(settings, http, clock)));
    }
}
