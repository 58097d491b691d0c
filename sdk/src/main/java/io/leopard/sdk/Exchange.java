package io.leopard.sdk;

import io.leopard.protocol.AnswerBinding;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.Fields;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.RequestTime;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * One query, start to end: builds and signs the request, posts it, reads the answer and verifies
 * it, retrying what the {@link RetryPolicy} allows. This is the one place that maps answers to
 * exceptions:
 * <ol>
 *   <li>I/O failure, or a body that is not a flat JSON object: {@link LeopardTransportException};</li>
 *   <li>{@code code=FAIL}: {@link LeopardProtocolException} (unsigned by protocol);</li>
 *   <li>{@code code=SUCCESS}: {@code sign} must be present and match every other field under the
 *       key and the sign type the request used, else {@link LeopardSignatureException};</li>
 *   <li>then {@code mid} must echo ours, and the answer must be bound to this request (its signed
 *       {@code reqNoise} the noise we sent; a not-found answer naming the order we asked about), else
 *       {@link LeopardResponseException}: a captured answer replayed to another request verifies, but
 *       is not the answer to this one.</li>
 * </ol>
 * What is returned has passed all of these; {@code resultCode} is left to the caller.
 */
final class Exchange {
    private static final char[] NOISE_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    static final int NOISE_LENGTH = 32;

    private final String baseUrl;
    private final String mid;
    private final String key;
    private final SignType signType;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final RetryPolicy retryPolicy;
    private final Transport transport;
    private final Ticker ticker;
    private final Random random;
    private final JsonAnswer json;
    private final Clock clock;
    private final ZoneId zone;

    Exchange(String baseUrl, String mid, String key, SignType signType, int connectTimeoutMillis,
             int readTimeoutMillis, RetryPolicy retryPolicy, Transport transport, Ticker ticker, Random random,
             JsonAnswer json, Clock clock, ZoneId zone) {
        this.baseUrl = baseUrl;
        this.mid = mid;
        this.key = key;
        this.signType = signType;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.retryPolicy = retryPolicy;
        this.transport = transport;
        this.ticker = ticker;
        this.random = random;
        this.json = json;
        this.clock = clock;
        this.zone = zone;
    }

    static Random newRandom() {
        return new SecureRandom();
    }

    /** The verified fields of a {@code code=SUCCESS} answer to {@code orderNo} at {@code endpoint}. */
    Map<String, String> call(Endpoint endpoint, String orderNo) {
        return call(endpoint, Collections.singletonMap(Fields.ORDER_NO, orderNo));
    }

    /**
     * The verified fields of a {@code code=SUCCESS} answer at {@code endpoint} to the endpoint's own
     * parameters {@code asked} ({@code orderNo}; or {@code after} and {@code limit}), sent after
     * {@code mid}; {@code mid}, {@code noise}, {@code signType} and {@code sign} are added here.
     */
    Map<String, String> call(Endpoint endpoint, Map<String, String> asked) {
        int retries = 0;
        while (true) {
            try {
                return attempt(endpoint, asked);
            } catch (LeopardException e) {
                if (!e.isRetryable() || retries >= retryPolicy.maxRetries()) {
                    e.retries(retries);
                    throw e;
                }
                retries++;
                try {
                    ticker.sleep(retryPolicy.delayNanos(retries, random.nextDouble()));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    LeopardTransportException stop = new LeopardTransportException(
                            "interrupted while waiting to retry " + endpoint.path() + ": " + e.getMessage(), ie, -1, false);
                    stop.retries(retries - 1);
                    throw stop;
                }
            }
        }
    }

    /**
     * The signed request parameters, in sending order; a fresh noise every time, and, when the client
     * sends timestamps ({@code clock} not {@code null}), the time of this attempt.
     */
    Map<String, String> signedParams(String orderNo) {
        return signedParams(Collections.singletonMap(Fields.ORDER_NO, orderNo));
    }

    private Map<String, String> signedParams(Map<String, String> asked) {
        Map<String, String> params = new LinkedHashMap<String, String>();
        params.put(Fields.MID, mid);
        params.putAll(asked);
        params.put(Fields.NOISE, noise());
        if (clock != null) {
            params.put(Fields.TIMESTAMP, RequestTime.format(clock.instant(), zone));
        }
        if (signType != SignType.MD5) {
            params.put(Fields.SIGN_TYPE, signType.wireName());
        }
        params.put(Fields.SIGN, Signer.sign(params, key, signType));
        return params;
    }

    private Map<String, String> attempt(Endpoint endpoint, Map<String, String> asked) {
        String url = baseUrl + endpoint.path();
        Map<String, String> sent = signedParams(asked);
        byte[] body = FormCodec.encode(sent).getBytes(StandardCharsets.UTF_8);
        Transport.Answer answer;
        try {
            answer = transport.post(url, body, connectTimeoutMillis, readTimeoutMillis);
        } catch (IOException e) {
            throw new LeopardTransportException("POST " + url + " failed: " + e, e, -1, true);
        }
        Map<String, String> fields;
        try {
            fields = json.flatObject(answer.body);
        } catch (JsonAnswer.MalformedException e) {
            boolean retryable = answer.status >= 500 || answer.status == 429;
            throw new LeopardTransportException("POST " + url + ": HTTP " + answer.status + ", "
                    + e.getMessage(), null, answer.status, retryable);
        }
        String code = fields.get(Fields.CODE);
        if (Fields.FAIL.equals(code)) {
            String errCode = fields.get(Fields.ERR_CODE);
            throw new LeopardProtocolException(errCode == null ? "" : errCode, fields.get(Fields.MSG), answer.status, false);
        }
        if (!Fields.SUCCESS.equals(code)) {
            throw new LeopardResponseException("POST " + url + ": HTTP " + answer.status
                    + ", the answer has no code SUCCESS or FAIL");
        }
        String sign = fields.get(Fields.SIGN);
        if (sign == null || sign.isEmpty()) {
            throw new LeopardSignatureException("POST " + url + ": the success answer is not signed");
        }
        if (!Signer.verify(fields, key, signType, sign)) {
            throw new LeopardSignatureException("POST " + url + ": the answer's signature does not match its fields ("
                    + signType.wireName() + "); wrong key, or the answer was altered");
        }
        if (answer.status != 200) {
            throw new LeopardResponseException("POST " + url + ": a success answer with HTTP " + answer.status);
        }
        if (!mid.equals(fields.get(Fields.MID))) {
            throw new LeopardResponseException("POST " + url + ": the answer is for another merchant");
        }
        String unbound = AnswerBinding.mismatch(fields, sent);
        if (unbound != null) {
            throw new LeopardResponseException("POST " + url + ": " + unbound);
        }
        return fields;
    }

    private String noise() {
        char[] out = new char[NOISE_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = NOISE_ALPHABET[random.nextInt(NOISE_ALPHABET.length)];
        }
        return new String(out);
    }
}
