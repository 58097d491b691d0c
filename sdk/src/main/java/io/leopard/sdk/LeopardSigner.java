package io.leopard.sdk;

import io.leopard.protocol.Fields;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The protocol's signature for merchants who build requests by hand (PROTOCOL.md section 3):
 * every parameter but {@code sign} with a non-empty value, sorted by name, joined as raw
 * {@code name=value} pairs with {@code &}, then {@code &key}, hashed, uppercase hex. Delegates to
 * {@code io.leopard.protocol.Signer}, which the SDK jar also contains.
 */
public final class LeopardSigner {
    private LeopardSigner() {
    }

    /** The uppercase hex signature of {@code params} (its {@code sign}, if any, is ignored). */
    public static String sign(Map<String, String> params, String key, SignType signType) {
        check(params, key, signType);
        return Signer.sign(params, key, signType);
    }

    /**
     * {@code params} plus {@code sign}, as a UTF-8 {@code application/x-www-form-urlencoded} body.
     * For a sign type other than MD5, put {@code signType} in {@code params} yourself: it is signed.
     */
    public static String signedForm(Map<String, String> params, String key, SignType signType) {
        Map<String, String> all = new LinkedHashMap<String, String>(params);
        all.remove(Fields.SIGN);
        all.put(Fields.SIGN, sign(all, key, signType));
        return FormCodec.encode(all);
    }

    /** Whether {@code sign} is the signature of {@code fields}; either hex case, constant-time comparison. */
    public static boolean verify(Map<String, String> fields, String key, SignType signType, String sign) {
        check(fields, key, signType);
        return Signer.verify(fields, key, signType, sign);
    }

    private static void check(Map<String, String> params, String key, SignType signType) {
        Objects.requireNonNull(params, "params == null");
        Objects.requireNonNull(key, "key == null");
        Objects.requireNonNull(signType, "signType == null");
    }
}
