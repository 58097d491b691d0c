package io.leopard.server.channel.alipay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * One call of Alipay's open API as the form body POSTed to the gateway: the common parameters,
 * {@code biz_content} (the method's own, as JSON) and the RSA2 {@code sign} over all of them.
 * The body holds a signature made with the merchant's key: it is never logged.
 */
final class AlipayRequest {
    static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlipayRequest() {
    }

    /** The signed parameters of {@code method} with {@code biz}, as of {@code now}. */
    static Map<String, String> params(String appId, String method, Map<String, String> biz, Instant now, PrivateKey key) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", appId);
        params.put("method", method);
        params.put("format", "JSON");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", AlipayTime.format(now));
        params.put("version", "1.0");
        try {
            params.put("biz_content", JSON.writeValueAsString(biz));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("biz_content cannot be written as JSON", e);
        }
        params.put("sign", AlipaySign.sign(params, key));
        return params;
    }

    /** {@code params} URL-encoded as a form body. */
    static String form(Map<String, String> params) {
        StringJoiner body = new StringJoiner("&");
        params.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }
}
