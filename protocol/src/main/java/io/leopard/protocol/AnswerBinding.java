package io.leopard.protocol;

import java.util.Map;

/**
 * Whether a verified answer answers the request it came back to (PROTOCOL.md 4.4). A signature
 * proves only that the platform wrote the answer once: a captured "pending" or "not found" still
 * verifies when it is replayed to another question. The answer's signed {@code reqNoise} (the
 * request's noise) and, in an {@code ORDER_NOT_EXIST} answer, its {@code orderNo} tie it to one
 * request.
 */
public final class AnswerBinding {
    private AnswerBinding() {
    }

    /**
     * Why {@code answer} (its signature already checked) is not the answer to {@code sent} (the
     * parameters as signed and sent), or {@code null} when it is. A missing echo is a mismatch:
     * the platform always writes both, so an answer without them was not written for this request.
     */
    public static String mismatch(Map<String, String> answer, Map<String, String> sent) {
        String noise = sent.get(Fields.NOISE);
        String echoed = answer.get(Fields.REQ_NOISE);
        if (echoed == null || echoed.isEmpty()) {
            return "the answer does not echo the request's noise (reqNoise): it may be an old answer replayed";
        }
        if (!echoed.equals(noise)) {
            return "the answer echoes another request's noise (reqNoise " + ParamRules.printable(echoed)
                    + "): an answer to another request, replayed";
        }
        if (BusinessError.ORDER_NOT_EXIST.name().equals(answer.get(Fields.ERR_CODE))
                && Fields.FAIL.equals(answer.get(Fields.RESULT_CODE))) {
            String asked = sent.get(Fields.ORDER_NO);
            String answered = answer.get(Fields.ORDER_NO);
            if (answered == null || !answered.equals(asked)) {
                return "the ORDER_NOT_EXIST answer is for order " + (answered == null ? "(none)" : ParamRules.printable(answered))
                        + ", not for " + (asked == null ? "(none)" : ParamRules.printable(asked));
            }
        }
        return null;
    }
}
