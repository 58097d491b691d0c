package io.leopard.server.channel.wechat;

import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelHttp;
import io.leopard.server.channel.ChannelSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One signed WeChat Pay v2 call, answered by a verified message: the request gets the merchant
 * numbers, a nonce, the {@code sign_type} and its signature; an answer is let through only when
 * WeChat took the request ({@code return_code=SUCCESS}), its signature holds and it is about the same
 * merchant. What the business fields mean is the caller's to judge.
 */
final class WechatCall {
    private static final String CONTENT_TYPE = "text/xml; charset=UTF-8";
    private static final char[] NONCE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** WeChat's messages are short; a longer one is cut so a log line stays a line. */
    private static final int MAX_DETAIL = 120;

    private final ChannelSettings settings;
    private final ChannelHttp http;

    WechatCall(ChannelSettings settings, ChannelHttp http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * POSTs {@code params} to {@code path}, signed for {@code account}.
     *
     * @param client the mutual-TLS client of {@code secapi} paths, {@code null} for the plain one
     * @return the answer's fields, its signature verified
     */
    Map<String, String> post(String path, WechatAccount account, Map<String, String> params, HttpClient client, Duration timeout) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("appid", account.appid());
        request.put("mch_id", account.mchId());
        if (account.subMchId() != null) {
            request.put("sub_mch_id", account.subMchId());
        }
        request.putAll(params);
        request.put("nonce_str", nonce());
        // always said, MD5 too: the answer is then signed the way it is checked, whatever WeChat's default
        request.put("sign_type", account.signType().wireName());
        request.put(WechatSign.SIGN, account.signType().sign(request, account.key()));
        URI uri = settings.wechat(path);
        String body = WechatXml.write(request);
        String text = client == null
                ? http.post(uri, CONTENT_TYPE, body, timeout)
                : http.post(client, uri, CONTENT_TYPE, body, timeout);
        return verified(WechatXml.parse(text), account);
    }

    private static Map<String, String> verified(Map<String, String> answer, WechatAccount account) {
        String returnCode = answer.get("return_code");
        if (!"SUCCESS".equals(returnCode) && !"FAIL".equals(returnCode)) {
            // not WeChat's protocol at all (a proxy's page in XML, a bug): the channel's fault
            throw new ChannelException(ChannelException.Failure.MALFORMED, "WeChat's answer has return_code " + detail(returnCode));
        }
        if ("FAIL".equals(returnCode)) {
            // often unsigned (a bad signature, a wrong appid): believed only as far as "nothing was done"
            throw new ChannelException(ChannelException.Failure.REFUSED, "WeChat refused the request: return_code="
                    + detail(returnCode) + " return_msg=" + detail(answer.get("return_msg")));
        }
        if (!answer.containsKey(WechatSign.SIGN)) {
            throw new ChannelException(ChannelException.Failure.BAD_SIGNATURE, "WeChat's answer has no sign");
        }
        if (!account.signType().verify(answer, account.key())) {
            throw new ChannelException(ChannelException.Failure.BAD_SIGNATURE, "WeChat's answer has a wrong " + account.signType().wireName() + " sign");
        }
        echoed(answer, "appid", account.appid());
        echoed(answer, "mch_id", account.mchId());
        if (account.subMchId() != null && answer.containsKey("sub_mch_id")) {
            echoed(answer, "sub_mch_id", account.subMchId());
        }
        return answer;
    }

    /** A signed answer for another merchant is still not an answer about this merchant's order. */
    private static void echoed(Map<String, String> answer, String field, String expected) {
        String got = answer.get(field);
        if (got == null) {
            throw new ChannelException(ChannelException.Failure.MALFORMED, "WeChat's answer has no " + field);
        }
        if (!got.equals(expected)) {
            throw new ChannelException(ChannelException.Failure.MISMATCH, "WeChat's answer is for " + field + " " + detail(got) + ", not " + expected);
        }
    }

    /** The answer's business result: {@code SUCCESS}, or {@code FAIL} with its {@code err_code}. */
    static String resultCode(Map<String, String> answer) {
        String result = answer.get("result_code");
        if (!"SUCCESS".equals(result) && !"FAIL".equals(result)) {
            throw new ChannelException(ChannelException.Failure.MALFORMED, "WeChat's answer has result_code " + detail(result));
        }
        return result;
    }

    /** {@code err_code: err_code_des}, for messages and cancel details. */
    static String error(Map<String, String> answer) {
        return detail(answer.get("err_code")) + ": " + detail(answer.get("err_code_des"));
    }

    /** A channel's text made safe for a log line: printable, short. */
    static String detail(String text) {
        if (text == null) {
            return "(none)";
        }
        String printable = text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() > MAX_DETAIL ? printable.substring(0, MAX_DETAIL) + "..." : printable;
    }

    private static String nonce() {
        char[] nonce = new char[32];
        for (int i = 0; i < nonce.length; i++) {
            nonce[i] = NONCE_CHARS[RANDOM.nextInt(NONCE_CHARS.length)];
        }
        return new String(nonce);
    }
}
