package io.leopard.server.internal;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.server.testing.IndependentVerifier;
import io.leopard.server.testing.LiveLeopard;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The two listeners of a real server: the internal one answers only internal paths (and health),
 * the merchant one never answers an internal path, with or without a token; without tokens there
 * is no internal listener at all.
 */
class InternalListenerE2ETest {
    private static final String TOKEN = "e2e-internal-token-0123456789";
    private static final String ORDER = "{\"flowNo\":\"FE1\",\"amount\":\"9.90\",\"type\":\"alipay\",\"scene\":\"qrcode\","
            + "\"state\":\"SUCCESS\",\"tradeNo\":\"TE1\",\"orderTime\":\"20261202160000\",\"payTime\":\"20261202160003\"}";

    @Test
    void eachListenerServesOnlyItsOwnPaths() throws Exception {
        try (LiveLeopard node = LiveLeopard.start(Map.of("internal.tokens", TOKEN, "internal.port", "0"))) {
            String internal = node.server.internalBaseUrl();
            assertThat(internal).startsWith("http://127.0.0.1:");
            HttpResponse<String> put = put(node, internal + "/internal/v1/orders/" + MID + "/E1", TOKEN);
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            Map<String, String> q = Map.of("mid", MID, "orderNo", "E1", "noise", "noise12345");
            HttpResponse<String> answer = node.postSigned("/query/single", q, KEY);
            assertThat(IndependentVerifier.fields(answer.body())).containsEntry("status", "1").containsEntry("tradeNo", "TE1");

            HttpResponse<String> onPublic = put(node, node.baseUrl() + "/internal/v1/orders/" + MID + "/E2", TOKEN);
            assertThat(onPublic.statusCode()).as("an internal path on the merchant listener").isEqualTo(404);
            HttpResponse<String> queryOnInternal = node.http.send(HttpRequest.newBuilder(URI.create(internal + "/query/single"))
                    .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(LiveLeopard.form(q))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(queryOnInternal.statusCode()).as("a merchant path on the internal listener").isEqualTo(404);
            assertThat(node.send("GET", internal + "/healthz").statusCode()).isEqualTo(200);
            assertThat(put(node, internal + "/internal/v1/orders/" + MID + "/E3", "wrong-token-0123456789").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void withoutTokensThereIsNoInternalListener() throws Exception {
        try (LiveLeopard node = LiveLeopard.start(Map.of("internal.port", "0"))) {
            assertThat(node.server.internalBaseUrl()).isNull();
            assertThat(node.server.internalPort()).isEqualTo(-1);
        }
    }

    private static HttpResponse<String> put(LiveLeopard node, String url, String token) throws Exception {
        return node.http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(ORDER)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
