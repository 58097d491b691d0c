package io.leopard.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query request whose parameters passed the rules: what the server acts on once the body is
 * read. The signature is not checked here; that needs the merchant's key.
 */
public final class QueryRequest {
    private final Endpoint endpoint;
    private final Map<String, String> params;
    private final String mid;
    private final List<String> orderNos;
    private final String signTypeAsSent;
    private final SignType signType;
    private final String sign;
    private final long after;
    private final String afterAsSent;
    private final int limit;

    private QueryRequest(Endpoint endpoint, Map<String, String> params, List<String> orderNos,
                         String signTypeAsSent, SignType signType, String afterAsSent, long after, int limit) {
        this.endpoint = endpoint;
        this.params = params;
        this.mid = params.get(Fields.MID);
        this.orderNos = orderNos;
        this.signTypeAsSent = signTypeAsSent;
        this.signType = signType;
        this.sign = params.get(Fields.SIGN);
        this.afterAsSent = afterAsSent;
        this.after = after;
        this.limit = limit;
    }

    /**
     * Applies the rules in the protocol's order: generic rules, then each required parameter,
     * then {@code signType}.
     *
     * @param maxBatch the largest number of distinct order numbers a batch may hold
     */
    public static QueryRequest parse(Endpoint endpoint, Map<String, String> params, int maxBatch)
            throws ProtocolException {
        ParamRules.checkParams(params);
        String mid = params.get(Fields.MID);
        require(Fields.MID, mid);
        if (!ParamRules.isMid(mid)) {
            throw ProtocolException.param(Fields.MID, "must be exactly 15 digits");
        }
        String orderNo = params.get(Fields.ORDER_NO);
        List<String> orderNos;
        String afterAsSent = null;
        long after = 0;
        int limit = 0;
        if (endpoint == Endpoint.EVENTS) {
            // the feed names no order; its own parameters are checked where orderNo would be
            orderNos = Collections.emptyList();
            afterAsSent = params.get(Fields.AFTER);
            if (afterAsSent != null && afterAsSent.isEmpty()) {
                afterAsSent = null; // an empty value is an absent one, as in the signature
            }
            after = afterAsSent == null ? 0 : ParamRules.parseCursor(afterAsSent);
            String limitAsSent = params.get(Fields.LIMIT);
            limit = limitAsSent == null || limitAsSent.isEmpty()
                    ? ParamRules.DEFAULT_EVENTS_LIMIT : ParamRules.parseEventsLimit(limitAsSent);
        } else if (orderNo == null || orderNo.isEmpty()) {
            throw ProtocolException.param(Fields.ORDER_NO, "is required");
        } else if (endpoint == Endpoint.MULTI) {
            orderNos = ParamRules.splitOrderNos(orderNo, maxBatch);
        } else if (ParamRules.isOrderNo(orderNo)) {
            orderNos = Collections.singletonList(orderNo);
        } else {
            throw ProtocolException.param(Fields.ORDER_NO, "must be 1-32 of letters, digits, _ - | *");
        }
        String noise = params.get(Fields.NOISE);
        require(Fields.NOISE, noise);
        if (!ParamRules.isNoise(noise)) {
            throw ProtocolException.param(Fields.NOISE, "must be 1-32 of letters, digits, _ -");
        }
        String sign = params.get(Fields.SIGN);
        require(Fields.SIGN, sign);
        if (sign.length() > ParamRules.MAX_SIGN_LENGTH) {
            throw ProtocolException.param(Fields.SIGN, "is longer than " + ParamRules.MAX_SIGN_LENGTH);
        }
        String signTypeAsSent = params.get(Fields.SIGN_TYPE);
        SignType signType = SignType.MD5;
        if (signTypeAsSent != null && !signTypeAsSent.isEmpty()) {
            signType = SignType.fromWire(signTypeAsSent);
            if (signType == null) {
                throw new ProtocolException(ErrorCode.SIGN_TYPE_UNSUPPORTED, ErrorCode.SIGN_TYPE_UNSUPPORTED.message()
                        + ": use MD5, SHA1, SHA256 or HMAC-SHA256");
            }
        } else {
            signTypeAsSent = null;
        }
        return new QueryRequest(endpoint, Collections.unmodifiableMap(new LinkedHashMap<String, String>(params)),
                orderNos, signTypeAsSent, signType, afterAsSent, after, limit);
    }

    private static void require(String name, String value) throws ProtocolException {
        if (value == null || value.isEmpty()) {
            throw ProtocolException.param(name, "is required");
        }
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Every parameter as received: what the signature covers. */
    public Map<String, String> params() {
        return params;
    }

    public String mid() {
        return mid;
    }

    /** The order number of a single or card-present query. */
    public String orderNo() {
        return orderNos.get(0);
    }

    /** The distinct order numbers in request order (one for single and card-present queries). */
    public List<String> orderNos() {
        return orderNos;
    }

    /** The event feed's position to continue after: 0 (before every event) when {@code after} was not sent. */
    public long after() {
        return after;
    }

    /** The event feed's cursor as sent, {@code null} when none was. */
    public String afterAsSent() {
        return afterAsSent;
    }

    /** The event feed's page size (1 to 100; 50 when not sent); 0 for the other endpoints. */
    public int limit() {
        return limit;
    }

    public SignType signType() {
        return signType;
    }

    /** {@code signType} exactly as sent, to echo; {@code null} when the request named none. */
    public String signTypeAsSent() {
        return signTypeAsSent;
    }

    public String sign() {
        return sign;
    }
}
