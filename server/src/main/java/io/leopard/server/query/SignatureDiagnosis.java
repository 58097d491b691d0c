package io.leopard.server.query;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Fields;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.SignDiagnosis;
import io.leopard.protocol.SignRecipe;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.access.Limits;
import io.leopard.server.merchant.Merchant;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /query/diagnose} (PROTOCOL §7): why a merchant's sign is wrong. Takes the request as
 * the merchant sent it to a query endpoint and answers, signed with the merchant's key, the stringA
 * the server built (values shown, never the key), the parameters it skipped, and the recipe the
 * sign was made with ({@link SignDiagnosis}, which does the signing with the protocol's code).
 *
 * <p>Checks, in the queries' order: the generic parameter rules, {@code mid}, {@code sign},
 * {@code signType}; the merchant (a merchant whose debug flag is off is told
 * {@code MERCHANT_NOT_EXIST}, as an unknown one: nothing says the endpoint exists for it); enabled;
 * the allow-list; the merchant's rate (every diagnosis takes one of its requests). A diagnosis of a
 * sign that does not verify also costs the client's address a failure, as a {@code SIGN_ERROR}
 * would. Each diagnosis is one line in the audit log, without the key, the sign or the values.
 */
final class SignatureDiagnosis {
    private static final Logger AUDIT = LoggerFactory.getLogger("leopard.audit");

    private final QueryService queries;
    private final Limits limits;

    SignatureDiagnosis(QueryService queries, Limits limits) {
        this.queries = queries;
        this.limits = limits;
    }

    QueryOutcome run(Map<String, String> params, InetAddress client) throws ProtocolException {
        ParamRules.checkParams(params);
        String mid = params.get(Fields.MID);
        if (mid == null || mid.isEmpty()) {
            throw ProtocolException.param(Fields.MID, "is required");
        }
        if (!ParamRules.isMid(mid)) {
            throw ProtocolException.param(Fields.MID, "must be exactly 15 digits");
        }
        String sign = params.get(Fields.SIGN);
        if (sign == null || sign.isEmpty()) {
            throw ProtocolException.param(Fields.SIGN, "is required");
        }
        if (sign.length() > ParamRules.MAX_SIGN_LENGTH) {
            throw ProtocolException.param(Fields.SIGN, "is longer than " + ParamRules.MAX_SIGN_LENGTH);
        }
        String signTypeAsSent = params.get(Fields.SIGN_TYPE);
        SignType type = SignType.MD5;
        if (signTypeAsSent != null && !signTypeAsSent.isEmpty()) {
            type = SignType.fromWire(signTypeAsSent);
            if (type == null) {
                throw new ProtocolException(ErrorCode.SIGN_TYPE_UNSUPPORTED, ErrorCode.SIGN_TYPE_UNSUPPORTED.message()
                        + ": use MD5, SHA1, SHA256 or HMAC-SHA256");
            }
        } else {
            signTypeAsSent = null;
        }
        Merchant merchant = queries.admitForDiagnosis(mid);
        if (!merchant.policy().allows(client)) {
            throw new ProtocolException(ErrorCode.IP_FORBIDDEN);
        }
        if (!limits.tryMerchant(merchant.mid(), merchant.policy())) {
            return new QueryOutcome.Refused(ErrorCode.FREQUENCY_LIMITED, ErrorCode.FREQUENCY_LIMITED.message());
        }
        String key = merchant.key();
        SignDiagnosis diagnosis = SignDiagnosis.of(params, key, type, sign);
        String previous = queries.previousKeyInGrace(merchant);
        if (diagnosis.recipe() != SignRecipe.CORRECT && previous != null) {
            // during a rotation's grace the merchant may still sign with the old key, as queries accept:
            // diagnose with it when the current key explains nothing and the old one does
            SignDiagnosis withPrevious = SignDiagnosis.of(params, previous, type, sign);
            if (withPrevious.recipe() != SignRecipe.UNKNOWN && (diagnosis.recipe() == SignRecipe.UNKNOWN
                    || withPrevious.recipe() == SignRecipe.CORRECT)) {
                diagnosis = withPrevious;
                key = previous;
            }
        }
        boolean verified = diagnosis.recipe().verifies();
        if (!verified && !limits.chargeFailure(client)) {
            return new QueryOutcome.Refused(ErrorCode.FREQUENCY_LIMITED, ErrorCode.FREQUENCY_LIMITED.message());
        }
        AUDIT.info("sign diagnosis mid={} client={} signType={} recipe={} params={}", mid, client.getHostAddress(),
                type.wireName(), diagnosis.recipe(), params.size());
        return new QueryOutcome.Answered(answer(mid, diagnosis, verified, signTypeAsSent, key, type));
    }

    private Answer answer(String mid, SignDiagnosis diagnosis, boolean verified, String signTypeAsSent, String key, SignType type) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(Fields.CODE, Fields.SUCCESS);
        fields.put(Fields.MSG, Fields.OK_MSG);
        fields.put(Fields.RESULT_CODE, Fields.SUCCESS);
        fields.put(Fields.MID, mid);
        fields.put(Fields.NOISE, queries.noise());
        fields.put("verified", String.valueOf(verified));
        fields.put("recipe", diagnosis.recipe().name());
        fields.put("hint", diagnosis.recipe().chinese());
        fields.put("hintEn", diagnosis.recipe().english());
        putIfNotEmpty(fields, "stringA", diagnosis.stringA());
        fields.put("stringSignTemp", diagnosis.maskedStringSignTemp());
        putIfNotEmpty(fields, "skipped", String.join(",", diagnosis.skipped()));
        if (signTypeAsSent != null) {
            fields.put(Fields.SIGN_TYPE, signTypeAsSent);
        }
        fields.put(Fields.SIGN, Signer.sign(fields, key, type));
        return new Answer(fields, Fields.SUCCESS); // the recipe is in the audit line
    }

    /** The server leaves empty fields out of its answers (PROTOCOL §3). */
    private static void putIfNotEmpty(Map<String, String> fields, String name, String value) {
        if (!value.isEmpty()) {
            fields.put(name, value);
        }
    }
}
