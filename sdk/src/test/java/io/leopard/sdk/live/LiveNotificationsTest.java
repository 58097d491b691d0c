package io.leopard.sdk.live;

import static io.leopard.server.testing.LiveLeopard.KEY;
import static io.leopard.server.testing.LiveLeopard.MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leopard.protocol.OrderStatus;
import io.leopard.sdk.EventPage;
import io.leopard.sdk.FeedEvent;
import io.leopard.sdk.LeopardClient;
import io.leopard.sdk.LeopardNotifications;
import io.leopard.sdk.Notification;
import io.leopard.server.testing.LiveLeopard;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SDK against a real Leopard: the notification its deliverer posts to a local receiver verifies
 * with {@link LeopardNotifications}, and the same change is in the feed {@code client.events} reads,
 * under the same event id.
 */
class LiveNotificationsTest {
    private static final String TOKEN = "sdk-live-notify-token-0123456789";

    @Test
    void aDeliveredNotificationVerifiesAndItsChangeIsInTheFeed() throws Exception {
        LinkedBlockingQueue<String> bodies = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/notify", ex -> {
            bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "SUCCESS".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, ok.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(ok);
            }
        });
        receiver.start();
        try (LiveLeopard leopard = LiveLeopard.startWithoutRateLimits(Map.of("internal.tokens", TOKEN, "internal.port", "0",
                "notify.allow-private-networks", "true", "feed.settle", "0s", "sync.sweeper.enabled", "false"))) {
            LeopardClient client = LiveClients.client(leopard).build();
            String cursor = null;
            EventPage page;
            do {
                page = client.events(cursor, 100);
                cursor = page.next();
            } while (page.hasMore());

            internal(leopard, "PUT", "/internal/v1/merchants/" + MID + "/notify",
                    "{\"url\":\"http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify\"}", 200);
            internal(leopard, "PUT", "/internal/v1/orders/" + MID + "/SDK-LIVE-1", "{\"flowNo\":\"FSDKLIVE1\",\"amount\":\"66.60\","
                    + "\"type\":\"alipay\",\"scene\":\"qrcode\",\"state\":\"SUCCESS\",\"tradeNo\":\"T66\",\"payTime\":\"20261203160105\","
                    + "\"orderTime\":\"20261203160000\"}", 201);

            String body = bodies.poll(20, TimeUnit.SECONDS);
            assertThat(body).as("no notification arrived").isNotNull();
            Notification n = LeopardNotifications.builder().mid(MID).key(KEY).build().verify(body);
            assertThat(n.eventId()).isEqualTo("FSDKLIVE1-1");
            assertThat(n.orderNo()).isEqualTo("SDK-LIVE-1");
            assertThat(n.amount()).hasToString("66.60");
            assertThat(n.status()).isEqualTo(OrderStatus.SUCCESS);
            assertThat(n.tradeNo()).isEqualTo("T66");

            List<FeedEvent> events = new ArrayList<>(client.events(cursor, 100).events());
            assertThat(events).extracting(FeedEvent::eventId).containsExactly(n.eventId());
            assertThat(events.get(0).order().toString()).isEqualTo(n.order().toString());
        } finally {
            receiver.stop(0);
        }
    }

    private static void internal(LiveLeopard leopard, String method, String path, String json, int status) throws Exception {
        HttpResponse<String> r = leopard.http.send(HttpRequest.newBuilder(URI.create(leopard.server.internalBaseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    }
}
