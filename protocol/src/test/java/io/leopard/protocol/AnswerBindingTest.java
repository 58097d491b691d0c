package io.leopard.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An answer is bound to its request by the echoed noise and, when not found, the order number. */
class AnswerBindingTest {

    private static Map<String, String> sent(String noise, String orderNo) {
        Map<String, String> p = new LinkedHashMap<String, String>();
        p.put("mid", "100000510983456");
        if (orderNo != null) {
            p.put("orderNo", orderNo);
        }
        p.put("noise", noise);
        return p;
    }

    private static Map<String, String> answer(String reqNoise) {
        Map<String, String> a = new LinkedHashMap<String, String>();
        a.put("code", "SUCCESS");
        a.put("resultCode", "SUCCESS");
        a.put("noise", "serverOwnNoise");
        if (reqNoise != null) {
            a.put("reqNoise", reqNoise);
        }
        return a;
    }

    private static Map<String, String> notExist(String reqNoise, String orderNo) {
        Map<String, String> a = answer(reqNoise);
        a.put("resultCode", "FAIL");
        a.put("errCode", "ORDER_NOT_EXIST");
        if (orderNo != null) {
            a.put("orderNo", orderNo);
        }
        return a;
    }

    @Test
    void anAnswerEchoingTheSentNoiseIsBound() {
        assertThat(AnswerBinding.mismatch(answer("n1"), sent("n1", "M1"))).isNull();
        assertThat(AnswerBinding.mismatch(answer("n1"), sent("n1", null))).as("the event feed names no order").isNull();
        assertThat(AnswerBinding.mismatch(notExist("n1", "M1"), sent("n1", "M1"))).isNull();
    }

    @Test
    void anAnswerToAnotherRequestIsNot() {
        assertThat(AnswerBinding.mismatch(answer("n0"), sent("n1", "M1"))).contains("another request's noise").contains("n0");
        assertThat(AnswerBinding.mismatch(answer("N1"), sent("n1", "M1"))).as("case counts").isNotNull();
        assertThat(AnswerBinding.mismatch(answer("n1 "), sent("n1", "M1"))).isNotNull();
    }

    @Test
    void anAnswerWithoutTheEchoIsNot() {
        assertThat(AnswerBinding.mismatch(answer(null), sent("n1", "M1"))).contains("does not echo");
        assertThat(AnswerBinding.mismatch(answer(""), sent("n1", "M1"))).contains("does not echo");
    }

    @Test
    void aNotFoundAnswerMustNameTheOrderAsked() {
        assertThat(AnswerBinding.mismatch(notExist("n1", "M2"), sent("n1", "M1"))).contains("M2").contains("M1");
        assertThat(AnswerBinding.mismatch(notExist("n1", null), sent("n1", "M1"))).contains("(none)");
        assertThat(AnswerBinding.mismatch(notExist("n1", "M1"), sent("n1", null))).as("asked for no order").isNotNull();
    }

    @Test
    void onlyANotFoundAnswerIsCheckedForItsOrderHere() {
        Map<String, String> found = answer("n1");
        found.put("orderNo", "M2");
        assertThat(AnswerBinding.mismatch(found, sent("n1", "M1"))).as("a found order's echo is the result's own check").isNull();
        Map<String, String> otherFailure = answer("n1");
        otherFailure.put("resultCode", "FAIL");
        otherFailure.put("errCode", "SOMETHING_ELSE");
        assertThat(AnswerBinding.mismatch(otherFailure, sent("n1", "M1"))).isNull();
        Map<String, String> oddSuccess = notExist("n1", "M2");
        oddSuccess.put("resultCode", "SUCCESS");
        assertThat(AnswerBinding.mismatch(oddSuccess, sent("n1", "M1"))).isNull();
    }
}
