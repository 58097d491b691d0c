package io.leopard.server.web;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A JSON escape can carry a lone surrogate, which has no UTF-8 form: signing it would hash "?"
 * in its place, so a signature made for {@code "?"} would also pass for {@code "\ud800"}.
 */
class LoneSurrogateE2ETest {
    @Test
    void loneSurrogateInJsonIsAParamErrorNotAnotherSpellingOfQuestionMark() throws Exception {
        try (LiveLeopard demo = LiveLeopard.start(Map.of())) {
            Map<String, String> p = new LinkedHashMap<>();
            p.put("mid", MID);
            p.put("orderNo", "M201611101010100002");
            p.put("noise", "n1");
            p.put("remark", "?");
            String sign = IndependentVerifier.sign(p, KEY, "MD5");
            String body = HostileInputE2ETest.json(p).replace("\"?\"", "\"\\ud800\"").replace("}", ",\"sign\":\"" + sign + "\"}");
            Map<String, String> f = IndependentVerifier.fields(demo.post("/query/single", "application/json", body).body());
            assertThat(f).as(body).containsEntry("code", "FAIL").containsEntry("errCode", "PARAM_ERROR");
        }
    }
}
