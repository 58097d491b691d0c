package io.leopard.sdk;

import static io.leopard.sdk.TestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryTest {
    private static final String NO = "M201611101010100002";
    private final FakeTransport transport = new FakeTransport();
    private final FakeTicker ticker = new FakeTicker();

    private LeopardClient client(RetryPolicy policy) {
        return TestSupport.client(transport, ticker).retryPolicy(policy).build();
    }

    @Test
    void transportErrorsAreRetriedWithFreshNoiseAndSignature() {
        transport.then(new IOException("connection reset")).then(new SocketTimeoutException("read timed out"))
                .then(signed(singleAnswer(NO)));
        assertThat(client(RetryPolicy.defaults()).querySingle(NO).isFound()).isTrue();
        assertThat(transport.requests).hasSize(3);
        assertThat(transport.requests).extracting(r -> r.params().get("noise")).doesNotHaveDuplicates();
        assertThat(transport.requests).extracting(r -> r.params().get("sign")).doesNotHaveDuplicates();
        transport.requests.forEach(r -> assertThat(r.params().get("sign")).isEqualTo(md5(r.params())));
        assertThat(ticker.sleeps).hasSize(2);
    }

    @Test
    void systemErrorAndFrequencyLimitedAreRetried() {
        transport.then(fail("SYSTEM_ERROR", "系统繁忙")).then(fail("FREQUENCY_LIMITED", "请求过于频繁"))
                .then(signed(singleAnswer(NO)));
        assertThat(client(RetryPolicy.defaults()).querySingle(NO).isFound()).isTrue();
        assertThat(transport.requests).hasSize(3);
    }

    @Test
    void http5xxWithoutJsonIsRetried() {
        transport.then(new Transport.Answer(502, "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8)))
                .then(signed(singleAnswer(NO)));
        assertThat(client(RetryPolicy.defaults()).querySingle(NO).isFound()).isTrue();
        assertThat(transport.requests).hasSize(2);
    }

    @Test
    void signAndParamErrorsAreNeverRetried() {
        for (String code : new String[] {"SIGN_ERROR", "PARAM_ERROR", "MERCHANT_NOT_EXIST"}) {
            transport.requests.clear();
            transport.then(fail(code, "x"));
            assertThatThrownBy(() -> client(RetryPolicy.defaults()).querySingle(NO))
                    .isInstanceOfSatisfying(LeopardProtocolException.class, e -> assertThat(e.retries()).isZero());
            assertThat(transport.requests).hasSize(1);
        }
        assertThat(ticker.sleeps).isEmpty();
    }

    @Test
    void aBadSignatureIsNotRetried() {
        transport.then(json(singleAnswer(NO)));
        assertThatThrownBy(() -> client(RetryPolicy.defaults()).querySingle(NO)).isInstanceOf(LeopardSignatureException.class);
        assertThat(transport.requests).hasSize(1);
    }

    @Test
    void retriesAreBoundedAndCountedOnTheException() {
        transport.always(r -> new IOException("refused"));
        assertThatThrownBy(() -> client(RetryPolicy.of(3, Duration.ofMillis(500), Duration.ofSeconds(5))).querySingle(NO))
                .isInstanceOfSatisfying(LeopardTransportException.class, e -> {
                    assertThat(e.retries()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("after 3 retries");
                });
        assertThat(transport.requests).hasSize(4);
    }

    @Test
    void noRetriesWhenTurnedOff() {
        transport.always(r -> fail("SYSTEM_ERROR", "x"));
        assertThatThrownBy(() -> client(RetryPolicy.none()).querySingle(NO)).isInstanceOf(LeopardProtocolException.class);
        assertThat(transport.requests).hasSize(1);
    }

    @Test
    void backoffGrowsWithJitterAndIsCapped() {
        transport.always(r -> new IOException("refused"));
        assertThatThrownBy(() -> client(RetryPolicy.of(6, Duration.ofMillis(500), Duration.ofSeconds(5))).querySingle(NO))
                .isInstanceOf(LeopardTransportException.class);
        assertThat(ticker.sleeps).hasSize(6);
        long[] base = {500, 1000, 2000, 4000, 5000, 5000};
        for (int i = 0; i < 6; i++) {
            assertThat(ticker.sleeps.get(i).toMillis()).as("retry %d", i + 1).isBetween(base[i] * 3 / 4, base[i]);
        }
        for (int i = 1; i < 4; i++) {
            assertThat(ticker.sleeps.get(i)).isGreaterThan(ticker.sleeps.get(i - 1));
        }
    }

    @Test
    void delaysFollowTheFormula() {
        RetryPolicy p = RetryPolicy.defaults();
        assertThat(p.delayNanos(1, 0.0)).isEqualTo(Duration.ofMillis(375).toNanos());
        assertThat(p.delayNanos(1, 0.999999)).isLessThanOrEqualTo(Duration.ofMillis(500).toNanos());
        assertThat(p.delayNanos(2, 0.0)).isEqualTo(Duration.ofMillis(750).toNanos());
        assertThat(p.delayNanos(40, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void anInterruptDuringBackoffStopsAndKeepsTheFlag() {
        transport.always(r -> new IOException("refused"));
        LeopardClient interrupted = TestSupport.client(transport, new InterruptingTicker()).build();
        try {
            assertThatThrownBy(() -> interrupted.querySingle(NO))
                    .isInstanceOf(LeopardTransportException.class).hasMessageContaining("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(transport.requests).hasSize(1);
        } finally {
            Thread.interrupted();
        }
    }

    static final class InterruptingTicker implements Ticker {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void sleep(long nanos) throws InterruptedException {
            throw new InterruptedException();
        }
    }
}
