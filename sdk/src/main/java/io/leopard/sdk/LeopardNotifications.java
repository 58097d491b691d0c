package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.Formats;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Verifies the notifications Leopard posts to the merchant's notify URL (PROTOCOL.md 9), fail
 * closed, by the rules answers are verified with: the signature over every field but {@code sign}
 * under the merchant key and the notification's {@code signType} (MD5 when absent), compared in
 * constant time; fields it does not know are accepted (and signed); values are read as their
 * literal text. Only then is anything read from it. Immutable and thread-safe.
 *
 * <pre>{@code
 * LeopardNotifications notifications = LeopardNotifications.builder()
 *         .mid("100000510983456").key(System.getenv("LEOPARD_KEY")).build();
 * Notification n = notifications.verify(requestBody);   // throws unless genuine
 * // store n, then answer HTTP 200 with the body SUCCESS
 * }</pre>
 */
public final class LeopardNotifications {
    private static final String WHERE = "notification";

    private final String mid;
    private final String key;
    private final SignType required;
    private final ZoneId zone;

    private LeopardNotifications(Builder b) {
        this.mid = b.mid;
        this.key = b.key;
        this.required = b.signType;
        this.zone = b.zone;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a notification as its request body arrived: UTF-8
     * {@code application/x-www-form-urlencoded}.
     *
     * @throws LeopardSignatureException unsigned, or the signature does not match (wrong key, or altered)
     * @throws LeopardResponseException  not a well-formed form, or, once verified, for another
     *                                   merchant or missing or malformed fields
     */
    public Notification verify(String formBody) {
        Objects.requireNonNull(formBody, "formBody == null");
        Map<String, String> params;
        try {
            params = FormCodec.decode(formBody.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        } catch (ProtocolException e) {
            throw new LeopardResponseException(WHERE + ": the body is not a well-formed form: " + e.getMessage());
        }
        return verify(params);
    }

    /** Verifies a notification's parameters, decoded already (a servlet's parameter map, say); as {@link #verify(String)}. */
    public Notification verify(Map<String, String> params) {
        Objects.requireNonNull(params, "params == null");
        Map<String, String> fields = new LinkedHashMap<String, String>();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                fields.put(e.getKey(), e.getValue()); // a null value is an absent one, as in the signature
            }
        }
        String sign = fields.get(Fields.SIGN);
        if (sign == null || sign.isEmpty()) {
            throw new LeopardSignatureException(WHERE + ": not signed");
        }
        SignType signType = signTypeOf(fields.get(Fields.SIGN_TYPE));
        if (!Signer.verify(fields, key, signType, sign)) {
            throw new LeopardSignatureException(WHERE + ": the signature does not match its fields (" + signType.wireName()
                    + "); wrong key, or the notification was altered");
        }
        if (!mid.equals(fields.get(Fields.MID))) {
            throw new LeopardResponseException(WHERE + ": for merchant " + ParamRules.printable(String.valueOf(fields.get(Fields.MID)))
                    + ", not " + mid);
        }
        return Notification.from(fields, zone, WHERE);
    }

    /** The sign type the notification names (MD5 when none); one other than a pinned type is refused unverified. */
    private SignType signTypeOf(String named) {
        SignType type = named == null || named.isEmpty() ? SignType.MD5 : SignType.fromWire(named);
        if (type == null) {
            throw new LeopardSignatureException(WHERE + ": signType \"" + ParamRules.printable(named) + "\" is not one Leopard signs with");
        }
        if (required != null && type != required) {
            throw new LeopardSignatureException(WHERE + ": signed " + type.wireName() + ", expected " + required.wireName());
        }
        return type;
    }

    public String mid() {
        return mid;
    }

    @Override
    public String toString() {
        return "LeopardNotifications{mid=" + mid + ", key=********, signType=" + (required == null ? "as named" : required.wireName())
                + ", zone=" + zone + '}';
    }

    /** Builds {@link LeopardNotifications}. Required: {@code mid}, {@code key}. */
    public static final class Builder {
        private String mid;
        private String key;
        private SignType signType;
        private ZoneId zone = Formats.DEFAULT_ZONE;

        private Builder() {
        }

        /** The merchant number the notifications must be for: exactly 15 digits. */
        public Builder mid(String mid) {
            Objects.requireNonNull(mid, "mid == null");
            if (!ParamRules.isMid(mid)) {
                throw new IllegalArgumentException("mid must be exactly 15 digits, was \"" + ParamRules.printable(mid) + "\"");
            }
            this.mid = mid;
            return this;
        }

        /** The merchant key; never printed or put in exception messages. */
        public Builder key(String key) {
            Objects.requireNonNull(key, "key == null");
            if (key.isEmpty()) {
                throw new IllegalArgumentException("key is empty");
            }
            this.key = key;
            return this;
        }

        /**
         * Accept only notifications signed with {@code signType} (the merchant's notify sign type):
         * then one naming another is refused. Default: the type each notification names.
         */
        public Builder signType(SignType signType) {
            this.signType = Objects.requireNonNull(signType, "signType == null");
            return this;
        }

        /** The platform's time zone, for the instants of the order's times; default Asia/Shanghai. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone == null");
            return this;
        }

        public LeopardNotifications build() {
            if (mid == null) {
                throw new IllegalStateException("mid is required: call mid(...) with your 15-digit merchant number");
            }
            if (key == null) {
                throw new IllegalStateException("key is required: call key(...) with your merchant key");
            }
            return new LeopardNotifications(this);
        }
    }
}
