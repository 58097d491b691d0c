package io.leopard.server.channel.wechat;

import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import java.util.Base64;

/**
 * A merchant's WeChat Pay account as the calls use it, read from its stored (already checked)
 * credentials. {@link #toString()} names the merchant numbers only.
 *
 * @param subMchId the sub-merchant of a service provider, {@code null} for an ordinary merchant
 * @param certP12  the API certificate (PKCS#12) for {@code secapi} calls, {@code null} when not set
 */
record WechatAccount(String appid, String mchId, String subMchId, String key, WechatSign signType,
                     byte[] certP12, String certPassword) {

    static WechatAccount of(ChannelCredentials credentials) {
        String signType = credentials.get(WechatCredentials.SIGN_TYPE);
        WechatSign sign = signType == null ? WechatSign.MD5 : WechatSign.of(signType).orElseThrow(() ->
                new ChannelException(ChannelException.Failure.NOT_CONFIGURED, "wechat credentials have an unknown signType"));
        String cert = credentials.get(WechatCredentials.CERT_P12);
        byte[] p12;
        try {
            p12 = cert == null || cert.isEmpty() ? null : Base64.getDecoder().decode(cert);
        } catch (IllegalArgumentException e) {
            throw new ChannelException(ChannelException.Failure.NOT_CONFIGURED, "wechat credentials have a certP12 that is not base64");
        }
        return new WechatAccount(
                credentials.require(WechatCredentials.APPID),
                credentials.require(WechatCredentials.MCH_ID),
                emptyToNull(credentials.get(WechatCredentials.SUB_MCH_ID)),
                credentials.require(WechatCredentials.KEY),
                sign, p12,
                p12 == null ? null : credentials.require(WechatCredentials.CERT_PASSWORD));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return "WechatAccount[appid=" + appid + ", mchId=" + mchId + (subMchId == null ? "" : ", subMchId=" + subMchId)
                + ", signType=" + signType.wireName() + ", certificate=" + (certP12 != null) + "]";
    }
}
