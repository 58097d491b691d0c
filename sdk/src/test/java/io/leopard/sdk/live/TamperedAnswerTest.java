package io.leopard.sdk.live;

import static io.leopard.server.testing.LiveLeopard.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.leopard.protocol.PayStatus;
import io.leopard.protocol.SignType;
import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.LeopardSignatureException;
import io.leopard.sdk.OrderResult;
import io.leopard.server.testing.LiveLeopard;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A man in the middle between the SDK and a real Leopard rewrites the server's signed answers: every
 * change must be refused with {@link LeopardSignatureException}, and never retried. Each test also
 * checks that its rewrite did change the answer, so that a rewrite that matches nothing fails
 * instead of passing.
 */
class TamperedAnswerTest {
    private static LiveLeopard leopard;
    private static TamperingProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        leopard = LiveLeopard.startWithoutRateLimits(Map.of());
        proxy = new TamperingProxy(leopard.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (leopard != null) {
            leopard.close();
        }
    }

    @BeforeEach
    void reset() {
        proxy.passThrough();
    }

    private static LeopardClient client(SignType signType) {
        return LiveClients.client(proxy.baseUrl(), MID, KEY).signType(signType).build();   // default retries on
    }

    /** Replaces exactly one match of {@code regex} (which must match) with {@code replacement}. */
    private static UnaryOperator<String> replaceOnce(String regex, String replacement) {
        return body -> {
            Matcher m = Pattern.compile(regex).matcher(body);
            assertThat(m.find()).as("pattern %s in %s", regex, body).isTrue();
            String out = body.substring(0, m.start()) + replacement + body.substring(m.end());
            assertThat(m.find()).as("pattern %s matches once in %s", regex, body).isFalse();
            return out;
        };
    }

    private static void assertRejected(Executable call) {
        int before = proxy.requests();
        Throwable thrown = catchThrowable(call::execute);
        assertThat(proxy.rewriteFailure()).as("the proxy's rewrite failed").isNull();
        assertThat(thrown).isInstanceOfSatisfying(LeopardSignatureException.class,
                e -> assertThat(e.retries()).isZero());
        assertThat(proxy.requests() - before).as("requests sent").isEqualTo(1);
        assertThat(proxy.lastSent()).isNotEqualTo(proxy.lastOriginal());
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void passThroughIsTheBaseline(SignType signType) {
        LeopardClient c = client(signType);
        OrderResult o = c.querySingle(PAID).order();
        assertThat(proxy.lastSent()).isEqualTo(proxy.lastOriginal()).contains("\"amount\":5230.00");
        assertThat(o.amount()).isEqualTo(new BigDecimal("5230.00"));
        assertThat(o.isPaid()).isTrue();
        assertThat(c.queryMulti(List.of(PAID, "NOPE1")).size()).isEqualTo(2);
        assertThat(c.queryBrushcard(CARD_PENDING).payStatus()).isEqualTo(PayStatus.PENDING);
    }

    @ParameterizedTest
    @EnumSource(SignType.class)
    void aChangedStatusIsRejected(SignType signType) {
        proxy.tamper(replaceOnce("\"status\":\"1\"", "\"status\":\"0\""));
        assertRejected(() -> client(signType).querySingle(PAID));
    }

    @Test
    void aChangedAmountIsRejected() {
        proxy.tamper(replaceOnce("\"amount\":5230\\.00", "\"amount\":5231.00"));
        assertRejected(() -> client(SignType.MD5).querySingle(PAID));
    }

    @Test
    void anAmountRewrittenAsAStringOfTheSameTextStillVerifies() {
        // The signature covers each value's text (PROTOCOL.md section 3), not its JSON type: the same
        // digits as a string are the same signed answer, and the amount is read the same.
        proxy.tamper(replaceOnce("\"amount\":5230\\.00", "\"amount\":\"5230.00\""));
        OrderResult o = client(SignType.MD5).querySingle(PAID).order();
        assertThat(o.amount()).isEqualTo(new BigDecimal("5230.00"));
    }

    @Test
    void aRemovedFieldIsRejected() {
        proxy.tamper(replaceOnce(",\"payTime\":\"\\d{14}\"", ""));
        assertRejected(() -> client(SignType.MD5).querySingle(PAID));
    }

    @Test
    void aFieldAddedAfterSigningIsRejected() {
        proxy.tamper(replaceOnce("}$", ",\"refund\":\"5230.00\"}"));
        assertRejected(() -> client(SignType.SHA256).querySingle(PAID));
    }

    @Test
    void aRemovedSignatureIsRejected() {
        proxy.tamper(replaceOnce(",\"sign\":\"[0-9A-Fa-f]+\"", ""));
        assertRejected(() -> client(SignType.MD5).querySingle(PAID));
    }

    @Test
    void anEmptiedSignatureIsRejected() {
        proxy.tamper(replaceOnce("\"sign\":\"[0-9A-Fa-f]+\"", "\"sign\":\"\""));
        assertRejected(() -> client(SignType.MD5).querySingle(PAID));
    }

    @Test
    void aPendingCardPaymentTurnedPaidIsRejected() {
        proxy.tamper(replaceOnce("\"payStatus\":\"5\"", "\"payStatus\":\"1\""));
        assertRejected(() -> client(SignType.HMAC_SHA256).queryBrushcard(CARD_PENDING));
    }

    @Test
    void aChangeInsideTheOrdersStringOfABatchIsRejected() {
        // orders is a string holding JSON: inside it, quotes are escaped
        proxy.tamper(replaceOnce("\\\\\"status\\\\\":\\\\\"0\\\\\"", "\\\"status\\\":\\\"1\\\""));
        assertRejected(() -> client(SignType.SHA1).queryMulti(List.of(PAID, INIT)));
    }

    @Test
    void aMissingOrderRemovedFromABatchIsRejected() {
        proxy.tamper(replaceOnce(",\\{\\\\\"orderNo\\\\\":\\\\\"NOPE1\\\\\",\\\\\"status\\\\\":\\\\\"6\\\\\"\\}", ""));
        assertRejected(() -> client(SignType.MD5).queryMulti(List.of(PAID, "NOPE1")));
    }

    /**
     * The replay the third-party check found: a genuine, verifying answer captured earlier (a
     * "pending", a "not found") handed back as the answer to a later request. The answer is the
     * server's own, unchanged, so only its binding to the request can tell.
     */
    @Test
    void aGenuineAnswerCapturedEarlierIsRejectedAsTheAnswerToALaterRequest() {
        LeopardClient c = client(SignType.MD5);
        assertThat(c.queryBrushcard(CARD_PENDING).payStatus()).isEqualTo(PayStatus.PENDING);
        String pending = proxy.lastOriginal();
        assertThat(c.querySingle("NOSUCHORDER9").isFound()).isFalse();
        String notFound = proxy.lastOriginal();
        for (String captured : List.of(pending, notFound)) {
            proxy.tamper(body -> captured);
            int before = proxy.requests();
            Throwable thrown = catchThrowable(() -> {
                if (captured == pending) {
                    c.queryBrushcard(CARD_PENDING);
                } else {
                    c.querySingle("NOSUCHORDER9");
                }
            });
            assertThat(thrown).isInstanceOfSatisfying(io.leopard.sdk.LeopardResponseException.class, e -> {
                assertThat(e.retries()).isZero();
                assertThat(e.getMessage()).contains("another request's noise");
            });
            assertThat(proxy.requests() - before).as("requests sent").isEqualTo(1);
        }
    }
}
