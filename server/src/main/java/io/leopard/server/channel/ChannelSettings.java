package io.leopard.server.channel;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the channels are.
 *
 * @param wechatBaseUrl {@code channels.wechat.base-url}: WeChat Pay's API root, without a trailing slash
 * @param alipayGateway {@code channels.alipay.gateway}: Alipay's gateway URL
 * @param trustCa       {@code channels.trust-ca}: extra authorities to trust (PEM), {@code null} for the JDK's only
 */
public record ChannelSettings(URI wechatBaseUrl, URI alipayGateway, Path trustCa) {

    public ChannelSettings {
        Objects.requireNonNull(wechatBaseUrl, "wechatBaseUrl");
        Objects.requireNonNull(alipayGateway, "alipayGateway");
    }

    public static ChannelSettings defaults() {
        return new ChannelSettings(URI.create("https://api.mch.weixin.qq.com"),
                URI.create("https://openapi.alipay.com/gateway.do"), null);
    }

    /** {@code path} under WeChat Pay's root, e.g. {@code pay/orderquery}. */
    public URI wechat(String path) {
        String root = wechatBaseUrl.toString();
        return URI.create(root.endsWith("/") ? root + path : root + "/" + path);
    }
}
