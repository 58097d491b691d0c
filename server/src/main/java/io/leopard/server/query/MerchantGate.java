package io.leopard.server.query;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.Signer;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantDirectory;
import java.time.Clock;

/**
 * The merchant checks of PROTOCOL.md 4.1, in order: exists, enabled, signature. Answers which key
 * the request was signed with, so the answer is signed with the same one (during a key rotation
 * both the new and the previous key pass until the previous one expires).
 */
final class MerchantGate {
    private final MerchantDirectory merchants;
    private final Clock clock;

    MerchantGate(MerchantDirectory merchants, Clock clock) {
        this.merchants = merchants;
        this.clock = clock;
    }

    /** The merchant the request names, after the existence and enabled checks. */
    Merchant admit(QueryRequest request) throws ProtocolException {
        Merchant merchant = merchants.find(request.mid())
                .orElseThrow(() -> new ProtocolException(ErrorCode.MERCHANT_NOT_EXIST));
        if (!merchant.enabled()) {
            throw new ProtocolException(ErrorCode.MERCHANT_DISABLED);
        }
        return merchant;
    }

    /**
     * The merchant a diagnosis names, after the same checks: one whose debug flag is off is
     * {@code MERCHANT_NOT_EXIST}, exactly as a merchant that does not exist.
     */
    Merchant admitForDiagnosis(String mid) throws ProtocolException {
        Merchant merchant = merchants.find(mid).filter(Merchant::debug)
                .orElseThrow(() -> new ProtocolException(ErrorCode.MERCHANT_NOT_EXIST));
        if (!merchant.enabled()) {
            throw new ProtocolException(ErrorCode.MERCHANT_DISABLED);
        }
        return merchant;
    }

    /** The key before the last rotation while its grace lasts, else {@code null}. */
    String previousKeyInGrace(Merchant merchant) {
        return merchant.previousKey() != null && merchant.previousKeyExpiresAt() != null
                && clock.instant().isBefore(merchant.previousKeyExpiresAt()) ? merchant.previousKey() : null;
    }

    /** The key that signed the request; {@code SIGN_ERROR} when neither valid key did. */
    String verifiedKey(Merchant merchant, QueryRequest request) throws ProtocolException {
        if (Signer.verify(request.params(), merchant.key(), request.signType(), request.sign())) {
            return merchant.key();
        }
        String previous = previousKeyInGrace(merchant);
        if (previous != null && Signer.verify(request.params(), previous, request.signType(), request.sign())) {
            return previous;
        }
        throw new ProtocolException(ErrorCode.SIGN_ERROR, ErrorCode.SIGN_ERROR.message()
                + ": check the string-to-sign (sorted name=value pairs joined with &, then &key) and the signType");
    }
}
