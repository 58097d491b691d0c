package io.leopard.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.testing.LaunchedLeopard;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test: the real server (the launcher's java process) killed with SIGKILL while
 * it delivers the notifications of 120 paid orders that the platform's core wrote and had answered,
 * then {@code leopard serve} started again on the same embedded database. Every notification is
 * received at least once afterwards, each signed with the merchant's key as PROTOCOL.md 3 says
 * (checked here with a signer of the test's own, not the server's) and telling the order as it was
 * written: a crash between a change and its delivery loses nothing. The kill comes while the
 * fifth notification waits for its answer (the receiver holds it until the server is dead), so at
 * least that attempt was never recorded; the deliveries that the killed node had claimed are held
 * for a minute ({@link Deliverer#HOLD}) and then taken up by the new one, so the test takes a little
 * over a minute. Runs in the integration-test phase, after the jar is built.
 */
class NotificationCrashIT {
    private static final String TOKEN = "notify-crash-token-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MID = DemoFixture.MID;
    private static final String KEY = DemoFixture.KEY;
    /** Orders written paid at once (one event each, version 1). */
    private static final int PAID = 100;
    /** Orders written pending first, then paid (their event is version 2; the creation is not told). */
    private static final int MOVED = 20;
    private static final int EVENTS = PAID + MOVED;
    private static final String ORDER_TIME = "20261203150000";
    private static final String PAY_TIME = "20261203150130";
    /** A short schedule, so that an attempt that fails around the kill is tried again within seconds. */
    private static final String RETRIES = "1s,1s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s,2s";

    @TempDir
    Path dir;

    /** Every form received, in arrival order; eventIds received with a good signature; forms whose signature was wrong. */
    private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
    private final Set<String> goodEvents = ConcurrentHashMap.newKeySet();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    /** The fifth request has arrived (its eventId in {@link #heldAtKill}); its answer waits for {@link #killed}. */
    private final CountDownLatch fifthArrived = new CountDownLatch(1);
    private final CountDownLatch killed = new CountDownLatch(1);
    private volatile String heldAtKill;

    @Test
    void aKillBetweenTheChangesAndTheirDeliveryLosesNoNotification() throws Exception {
        HttpServer receiver = receiver();
        ExecutorService receiverThreads = Executors.newCachedThreadPool();
        receiver.setExecutor(receiverThreads);
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify";
        int internalPort = LaunchedLeopard.freePort();
        Map<String, String> env = Map.of("LEOPARD_INTERNAL_TOKENS", TOKEN, "LEOPARD_INTERNAL_PORT", Integer.toString(internalPort),
                "LEOPARD_NOTIFY_RETRIES", RETRIES, "LEOPARD_NOTIFY_TIMEOUT", "2s");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Map<String, Map<String, String>> expected = expectedEvents();
        int receivedAtKill;
        try {
            try (LaunchedLeopard demo = LaunchedLeopard.start(dir, "demo", env)) {
                HttpResponse<String> set = http.send(internal(internalPort, "/internal/v1/merchants/" + MID + "/notify")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"url\":\"" + url + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(set.statusCode()).as("PUT notify: %s", set.body()).isEqualTo(200);

                // the pending creations first (no notification), then everything paid, in batches as the core sends them
                writeBatch(http, internalPort, moved(false), "created", MOVED);
                List<String> paid = new ArrayList<>();
                for (int i = 0; i < MOVED; i++) {
                    paid.add(order("NCM" + i, "SUCCESS"));
                }
                for (int i = 0; i < PAID; i++) {
                    paid.add(order("NCP" + i, "SUCCESS"));
                }
                for (int from = 0; from < paid.size(); from += 30) {
                    List<String> batch = paid.subList(from, Math.min(paid.size(), from + 30));
                    writeBatch(http, internalPort, "[" + String.join(",", batch) + "]", null, batch.size());
                }

                // the kill comes while the fifth notification waits for its answer (the receiver holds it until then)
                assertThat(fifthArrived.await(60, TimeUnit.SECONDS)).as("a fifth notification; log:%n%s", demo.log()).isTrue();
                assertThat(demo.process().info().command().orElse("")).as("the launcher execs java: the kill hits the server itself")
                        .endsWith("java");
                demo.process().destroyForcibly(); // SIGKILL: no shutdown hook, attempts in flight never recorded
                assertThat(demo.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
                receivedAtKill = goodEvents.size();
                killed.countDown();
            }
            assertThat(receivedAtKill).as("the kill came while most notifications were still to be delivered").isLessThan(EVENTS / 2);

            Map<String, String> again = new HashMap<>(env);
            again.put("LEOPARD_DATA_DIR", dir.resolve("data").resolve("demo").toString());
            again.put("LEOPARD_NOTIFY_ALLOW_PRIVATE_NETWORKS", "true"); // the receiver is on this machine, as with the demo
            try (LaunchedLeopard served = LaunchedLeopard.start(dir, "serve", again)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!goodEvents.containsAll(expected.keySet()) && System.nanoTime() < deadline) {
                    assertThat(served.process().isAlive()).as("server running; log:%n%s", served.log()).isTrue();
                    Thread.sleep(100);
                }
                Set<String> missing = new TreeSet<>(expected.keySet());
                missing.removeAll(goodEvents);
                assertThat(missing).as("notifications never received within 120 s of the restart (%d had been received at the kill); "
                        + "log:%n%s", receivedAtKill, served.log()).isEmpty();

                // and the server knows them delivered (the last answers may still be being recorded)
                Map<String, String> states = Map.of();
                while (System.nanoTime() < deadline) {
                    states = deliveryStates(http, internalPort);
                    if (states.size() == EVENTS && states.values().stream().allMatch("delivered"::equals)) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertThat(states).as("the deliveries' states").hasSize(EVENTS).allSatisfy((id, state) -> assertThat(state).isEqualTo("delivered"));

                // the meters OPERATIONS.md lists, on the server that delivered them
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + served.port() + "/metrics"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("leopard_notify_deliveries_total{outcome=\"delivered\"", "leopard_notify_waiting ",
                        "leopard_notify_oldest_undelivered_age_seconds ", "leopard_notify_given_up 0.0");
            }
        } finally {
            receiver.stop(0);
            receiverThreads.shutdownNow();
        }

        assertThat(badSignatures).as("every notification signed with the merchant's key (PROTOCOL.md 3)").isEmpty();
        for (Map<String, String> form : received) {
            Map<String, String> want = expected.get(form.get("eventId"));
            assertThat(want).as("a notification of an order written here: %s", form).isNotNull();
            assertThat(form).as("notification %s tells the order as written", form.get("eventId")).containsAllEntriesOf(want)
                    .containsKeys("notifyTime", "noise", "sign").doesNotContainKey("signType");
        }
        Set<String> ids = new TreeSet<>();
        received.forEach(f -> ids.add(f.get("eventId")));
        assertThat(ids).isEqualTo(new TreeSet<>(expected.keySet()));
        assertThat(received.stream().filter(f -> f.get("eventId").equals(heldAtKill)).count())
                .as("the notification in flight at the kill (%s), never answered to the server, was sent again", heldAtKill)
                .isGreaterThanOrEqualTo(2);
        System.out.printf("NotificationCrashIT: %d notifications received before the kill, %s in flight; %d requests in all"
                + " for %d events%n", receivedAtKill, heldAtKill, requests.get(), EVENTS);
    }

    /** A receiver that takes 100 ms per notification, checks its signature itself and answers SUCCESS. */
    private HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/notify", exchange -> {
            int n = requests.incrementAndGet();
            Map<String, String> form = decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            try {
                if (n == 5) {
                    heldAtKill = form.get("eventId");
                    fifthArrived.countDown();
                    killed.await(90, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            received.add(form);
            if (md5Sign(form, KEY).equals(form.get("sign"))) {
                goodEvents.add(form.get("eventId"));
            } else {
                badSignatures.add(form.toString());
            }
            byte[] out = "SUCCESS".getBytes(StandardCharsets.UTF_8);
            try (OutputStream os = exchange.getResponseBody()) {
                exchange.sendResponseHeaders(200, out.length);
                os.write(out);
            } catch (IOException serverGone) {
                // the server was killed while waiting for this answer: it will send the notification again
            }
        });
        return server;
    }

    /** application/x-www-form-urlencoded, decoded with the JDK alone. */
    private static Map<String, String> decode(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            form.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    /** PROTOCOL.md 3, MD5: the non-empty fields but sign, sorted by name, name=value joined by &, then &key; uppercase hex. */
    static String md5Sign(Map<String, String> fields, String key) {
        TreeMap<String, String> sorted = new TreeMap<>();
        fields.forEach((k, v) -> {
            if (!"sign".equals(k) && v != null && !v.isEmpty()) {
                sorted.put(k, v);
            }
        });
        StringBuilder s = new StringBuilder();
        sorted.forEach((k, v) -> s.append(k).append('=').append(v).append('&'));
        s.append(key);
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("MD5").digest(s.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** The fields each event's notification must carry, by eventId. */
    private static Map<String, Map<String, String>> expectedEvents() {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int i = 0; i < MOVED; i++) {
            out.put("F" + "NCM" + i + "-2", fields("NCM" + i));
        }
        for (int i = 0; i < PAID; i++) {
            out.put("F" + "NCP" + i + "-1", fields("NCP" + i));
        }
        return out;
    }

    private static Map<String, String> fields(String orderNo) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("mid", MID);
        f.put("orderNo", orderNo);
        f.put("flowNo", "F" + orderNo);
        f.put("tradeNo", "T" + orderNo);
        f.put("amount", amount(orderNo));
        f.put("type", type(orderNo));
        f.put("status", "1");
        f.put("orderTime", ORDER_TIME);
        f.put("payTime", PAY_TIME);
        f.put("eventId", "F" + orderNo + (orderNo.startsWith("NCM") ? "-2" : "-1"));
        return f;
    }

    private static int number(String orderNo) {
        return Integer.parseInt(orderNo.substring(3));
    }

    private static String amount(String orderNo) {
        int cents = 105 + number(orderNo) * 37 + (orderNo.startsWith("NCM") ? 50_000 : 0);
        return String.format("%d.%02d", cents / 100, cents % 100);
    }

    private static String type(String orderNo) {
        return number(orderNo) % 2 == 0 ? "wechat" : "alipay";
    }

    private static String order(String orderNo, String state) {
        boolean paid = "SUCCESS".equals(state);
        return "{\"mid\":\"" + MID + "\",\"orderNo\":\"" + orderNo + "\",\"flowNo\":\"F" + orderNo + "\","
                + (paid ? "\"tradeNo\":\"T" + orderNo + "\",\"payTime\":\"" + PAY_TIME + "\"," : "")
                + "\"amount\":\"" + amount(orderNo) + "\",\"type\":\"" + type(orderNo) + "\",\"scene\":\"qrcode\","
                + "\"state\":\"" + state + "\",\"orderTime\":\"" + ORDER_TIME + "\"}";
    }

    private static String moved(boolean paid) {
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < MOVED; i++) {
            orders.add(order("NCM" + i, paid ? "SUCCESS" : "INIT"));
        }
        return "[" + String.join(",", orders) + "]";
    }

    /** Posts one orders:batch body and checks every item was written ({@code outcome}, or created/changed when null). */
    private static void writeBatch(HttpClient http, int port, String body, String outcome, int items) throws Exception {
        HttpResponse<String> r = http.send(internal(port, "/internal/v1/orders:batch").POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("orders:batch: %s", r.body()).isEqualTo(200);
        JsonNode counts = JSON.readTree(r.body()).get("counts");
        int written = outcome != null ? counts.get(outcome).asInt() : counts.get("created").asInt() + counts.get("changed").asInt();
        assertThat(written).as("orders:batch counts %s", counts).isEqualTo(items);
    }

    /** eventId to state of the merchant's latest deliveries, from the internal API. */
    private static Map<String, String> deliveryStates(HttpClient http, int port) throws Exception {
        HttpResponse<String> r = http.send(internal(port, "/internal/v1/merchants/" + MID + "/notifications?limit=1000").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("notifications: %s", r.body()).isEqualTo(200);
        Map<String, String> states = new TreeMap<>();
        for (JsonNode n : JSON.readTree(r.body()).get("notifications")) {
            states.put(n.get("eventId").asText(), n.get("state").asText());
        }
        return states;
    }

    private static HttpRequest.Builder internal(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
    }
}
