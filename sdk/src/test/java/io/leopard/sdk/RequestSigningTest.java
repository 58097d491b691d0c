package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.protocol.SignType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestSigningTest {
    private final FakeTransport transport = new FakeTransport();
    private final FakeTicker ticker = new FakeTicker();

    @Test
    void singleRequestCarriesMidOrderNoNoiseAndAnMd5SignWithoutSignType() {
        transport.always(r -> signed(singleAnswer("M201611101010100002")));
        client(transport, ticker).build().querySingle("M201611101010100002");

        Request r = transport.requests.get(0);
        assertThat(r.url()).isEqualTo("http://leopard.test/v2/query/single");
        Map<String, String> p = r.params();
        assertThat(p).containsOnlyKeys("mid", "orderNo", "noise", "sign");
        assertThat(p.get("mid")).isEqualTo(MID);
        assertThat(p.get("orderNo")).isEqualTo("M201611101010100002");
        assertThat(p.get("noise")).matches("[A-Za-z0-9]{32}");
        assertThat(p.get("sign")).isEqualTo(md5(p));
    }

    @Test
    void otherSignTypesAreSentAndSigned() {
        transport.always(r -> {
            var answer = singleAnswer("A1");
            answer.put("signType", "SHA256");
            answer.put("sign", sign(answer, KEY, "SHA-256"));
            return json(answer);
        });
        OrderResult order = client(transport, ticker).signType(SignType.SHA256).build().querySingle("A1").order();

        Map<String, String> p = transport.requests.get(0).params();
        assertThat(p.get("signType")).isEqualTo("SHA256");
        assertThat(p.get("sign")).isEqualTo(sign(p, KEY, "SHA-256")).hasSize(64);
        assertThat(order.orderNo()).isEqualTo("A1");
    }

    @Test
    void everyRequestHasAFreshNoise() {
        transport.always(r -> signed(singleAnswer("A1")));
        LeopardClient client = client(transport, ticker).build();
        client.querySingle("A1");
        client.querySingle("A1");
        assertThat(transport.requests.get(0).params().get("noise"))
                .isNotEqualTo(transport.requests.get(1).params().get("noise"));
    }

    @Test
    void badOrderNumbersAreNeverSent() {
        LeopardClient client = client(transport, ticker).build();
        assertThatThrownBy(() -> client.querySingle("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.queryBrushcard("x".repeat(33))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.queryMulti(java.util.List.of("A1", "A,2"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.querySingle(null)).isInstanceOf(NullPointerException.class);
        assertThat(transport.requests).isEmpty();
    }

    @Test
    void leopardSignerMatchesThePublishedWorkedExample() {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        params.put("mid", "123456789098765");
        params.put("orderNo", "SC112233445566778899");
        params.put("amount", "65.50");
        params.put("currency", "CNY");
        params.put("date", "20160510");
        params.put("time", "152030");
        params.put("notify", "https://domain/notify");
        params.put("remark", "杯具");
        assertThat(LeopardSigner.sign(params, "ddbax6n4cg8qj958ytt6", SignType.MD5))
                .isEqualTo("2B086E3C763634A869829AE9198F7DAE");
        String form = LeopardSigner.signedForm(params, "ddbax6n4cg8qj958ytt6", SignType.MD5);
        assertThat(form).endsWith("&sign=2B086E3C763634A869829AE9198F7DAE").contains("remark=%E6%9D%AF%E5%85%B7");
        assertThat(LeopardSigner.verify(params, "ddbax6n4cg8qj958ytt6", SignType.MD5, "2b086e3c763634a869829ae9198f7dae")).isTrue();
    }
}
