package io.leopard.server.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.leopard.protocol.FormCodec;
import io.leopard.protocol.OrderState;
import io.leopard.protocol.SignType;
import io.leopard.protocol.Signer;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantDirectory;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deliveries to a real local receiver: what counts as delivered, retries, giving up, the outbox, the address guard. */
class DelivererTest {
    private static final String MID = "100000510983456";
    private static final String KEY = "key-of-shop-456";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant NOW = Instant.parse("2026-12-03T08:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
    /** How far the clock moves each time it is read; zero but in the test of slow gauges. */
    private volatile Duration tick = Duration.ZERO;
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            Duration step = tick;
            return now.getAndUpdate(t -> t.plus(step));
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ConcurrentLinkedQueue<Map<String, String>> received = new ConcurrentLinkedQueue<>();
    private volatile Function<Map<String, String>, Answer> answer = form -> new Answer(200, "SUCCESS", 0);
    private HttpServer receiver;

    private record Answer(int status, String body, long sleepMs) {
    }

    @AfterEach
    void close() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private String receiverUrl() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/notify", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> form;
            try {
                form = FormCodec.decode(body, StandardCharsets.UTF_8);
            } catch (Exception e) {
                form = Map.of("undecodable", new String(body, StandardCharsets.UTF_8));
            }
            received.add(form);
            Answer a = answer.apply(form);
            if (a.sleepMs > 0) {
                try {
                    Thread.sleep(a.sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = a.body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status, out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            } catch (IOException ignored) {
                // the client gave up
            }
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify";
    }

    private final class Fixture implements AutoCloseable {
        final TestDatabase db;
        final Database database;
        final MerchantStore merchants;
        final MerchantDirectory directory;
        final OrderWrites writes;
        final Deliverer deliverer;

        Fixture(DatabaseVendor vendor, NotifySettings settings, String url, SignType signType) {
            db = TestDatabases.create(vendor);
            database = db.database();
            merchants = new MerchantStore(database, new KeyCipher(MasterKey.random()));
            merchants.add(MID, "shop", KEY);
            if (url != null) {
                merchants.setNotify(MID, url, signType);
            }
            directory = MerchantDirectory.start(merchants, Duration.ofHours(1));
            writes = new OrderWrites(database, ZONE, clock, registry);
            deliverer = new Deliverer(database, directory, settings, ZONE, clock, registry);
        }

        void order(String orderNo, OrderState state) {
            writes.apply(List.of(new Order(MID, orderNo, "F" + orderNo, state == OrderState.INIT ? null : "T" + orderNo,
                    new BigDecimal("50.00"), "wechat", Scene.QRCODE, state, NOW.minusSeconds(60),
                    state == OrderState.SUCCESS ? NOW.minusSeconds(5) : null)), WriteSource.API);
        }

        List<String> rows(String sql) throws SQLException {
            List<String> out = new ArrayList<>();
            try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        sb.append(i > 1 ? " " : "").append(rs.getString(i));
                    }
                    out.add(sb.toString());
                }
            }
            return out;
        }

        @Override
        public void close() {
            deliverer.close();
            directory.close();
            db.close();
        }
    }

    private static NotifySettings settings(boolean allowPrivate, List<Duration> retries) {
        return new NotifySettings(true, Duration.ofSeconds(1), Duration.ofMillis(500), retries, 4, 2, allowPrivate,
                NotifySettings.DEFAULT_RETENTION);
    }

    /** As {@link #settings} with private networks allowed, but a 5 s timeout: for tests whose receivers answer, on a busy machine. */
    private static NotifySettings roomy() {
        return new NotifySettings(true, Duration.ofSeconds(1), Duration.ofSeconds(5), THREE, 4, 2, true, NotifySettings.DEFAULT_RETENTION);
    }

    private static final List<Duration> THREE = List.of(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(3));

    private Fixture fixture(DatabaseVendor vendor, NotifySettings settings, String url) {
        Fixture f = new Fixture(vendor, settings, url, null);
        closing.add(f);
        return f;
    }

    @Test
    void aPaidOrderIsDeliveredSignedWithTheOrdersFieldsAndItsEventId() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        f.order("N1", OrderState.INIT);
        f.order("N1", OrderState.SUCCESS);

        assertThat(f.deliverer.round()).as("the pending creation is not told; the payment is").isEqualTo(1);

        Map<String, String> form = received.poll();
        assertThat(form).containsEntry("mid", MID).containsEntry("orderNo", "N1").containsEntry("flowNo", "FN1")
                .containsEntry("tradeNo", "TN1").containsEntry("amount", "50.00").containsEntry("status", "1")
                .containsEntry("eventId", "FN1-2").containsEntry("notifyTime", "20261203160000").containsKeys("noise", "payTime")
                .doesNotContainKey("signType");
        assertThat(Signer.verify(form, KEY, SignType.MD5, form.get("sign"))).as("signed with the merchant's key").isTrue();
        assertThat(f.rows("SELECT state, attempts, due_at FROM notify_deliveries")).containsExactly("DELIVERED 1 null");
        assertThat(f.rows("SELECT http_status, error, answer FROM notify_attempts")).containsExactly("200 null SUCCESS");
        assertThat(registry.get("leopard.notify.deliveries").tag("outcome", "delivered").counter().count()).isEqualTo(1);
        assertThat(f.deliverer.round()).as("delivered once").isZero();
    }

    @Test
    void theMerchantsSignTypeIsUsedAndSent() throws Exception {
        Fixture f = new Fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl(), SignType.HMAC_SHA256);
        closing.add(f);
        f.order("N1", OrderState.CLOSED);
        f.deliverer.round();
        Map<String, String> form = received.poll();
        assertThat(form).containsEntry("signType", "HMAC-SHA256").containsEntry("status", "3");
        assertThat(Signer.verify(form, KEY, SignType.HMAC_SHA256, form.get("sign"))).isTrue();
    }

    @Test
    void everythingButTwoHundredSuccessIsAFailedAttemptTriedAgainOnScheduleThenGivenUp() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        List<Answer> answers = new ArrayList<>(List.of(new Answer(200, "FAIL", 0), new Answer(500, "SUCCESS", 0),
                new Answer(200, "nope", 0), new Answer(200, "x".repeat(5000), 0)));
        answer = form -> answers.remove(0);
        f.order("N1", OrderState.SUCCESS);

        assertThat(f.deliverer.round()).isEqualTo(1);
        assertThat(f.rows("SELECT state, attempts, due_at FROM notify_deliveries"))
                .containsExactly("PENDING 1 " + NOW.plusSeconds(15).toEpochMilli());
        now.set(NOW.plusSeconds(14));
        assertThat(f.deliverer.round()).as("not due yet").isZero();
        assertThat(registry.get("leopard.notify.waiting").gauge().value()).as("waiting for its retry").isEqualTo(1);
        assertThat(registry.get("leopard.notify.oldest.undelivered.age").gauge().value()).as("written at NOW, 14 s ago")
                .isEqualTo(14.0);
        assertThat(registry.get("leopard.notify.given.up").gauge().value()).isZero();
        now.set(NOW.plusSeconds(15));
        assertThat(f.deliverer.round()).isEqualTo(1);
        now.set(NOW.plusSeconds(45));
        assertThat(f.deliverer.round()).isEqualTo(1);
        now.set(NOW.plusSeconds(45 + 180));
        assertThat(f.deliverer.round()).isEqualTo(1);
        assertThat(f.rows("SELECT state, attempts, due_at FROM notify_deliveries")).containsExactly("GAVE_UP 4 null");
        List<String> attempts = f.rows("SELECT http_status, answer FROM notify_attempts ORDER BY attempt_id");
        assertThat(attempts).hasSize(4);
        assertThat(attempts.get(0)).isEqualTo("200 FAIL");
        assertThat(attempts.get(1)).isEqualTo("500 SUCCESS");
        assertThat(attempts.get(3)).as("256 characters kept of a long answer").hasSize(4 + 256);
        assertThat(received).extracting(m -> m.get("eventId")).containsOnly("FN1-1");
        assertThat(registry.get("leopard.notify.deliveries").tag("outcome", "gave_up").counter().count()).isEqualTo(1);
        now.set(NOW.plusSeconds(45 + 180 + 5)); // the gauges are read at a round's start, every 5 s at most
        f.deliverer.round();
        assertThat(registry.get("leopard.notify.given.up").gauge().value()).as("given up, kept until resent").isEqualTo(1);
        assertThat(registry.get("leopard.notify.waiting").gauge().value()).isZero();
        assertThat(registry.get("leopard.notify.oldest.undelivered.age").gauge().value()).isZero();
    }

    @Test
    void gaugesAreReadNoMoreOftenThanEveryFiveSecondsNorLessOftenThanEveryFiveMinutes() {
        assertThat(Deliverer.gaugesInterval(Duration.ofSeconds(-10))).as("the clock stepped back").isEqualTo(Duration.ofSeconds(5));
        assertThat(Deliverer.gaugesInterval(Duration.ZERO)).isEqualTo(Duration.ofSeconds(5));
        assertThat(Deliverer.gaugesInterval(Duration.ofMillis(50))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Deliverer.gaugesInterval(Duration.ofMillis(51))).as("a hundred times the read").isEqualTo(Duration.ofMillis(5100));
        assertThat(Deliverer.gaugesInterval(Duration.ofMillis(400))).isEqualTo(Duration.ofSeconds(40));
        assertThat(Deliverer.gaugesInterval(Duration.ofSeconds(3))).isEqualTo(Duration.ofMinutes(5));
        assertThat(Deliverer.gaugesInterval(Duration.ofSeconds(30))).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aSlowGaugesReadIsRepeatedNoSoonerThanAHundredTimesItsLength() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        tick = Duration.ofSeconds(1); // the gauges' read, between the round's first two looks at the clock, takes 1 s
        assertThat(f.deliverer.round()).isZero();
        tick = Duration.ZERO;
        answer = form -> new Answer(500, "busy", 0);
        now.set(NOW.plusSeconds(30));
        f.order("N1", OrderState.SUCCESS);

        now.set(NOW.plusSeconds(99));
        assertThat(f.deliverer.round()).isEqualTo(1);
        assertThat(registry.get("leopard.notify.waiting").gauge().value()).as("not read again yet").isZero();
        now.set(NOW.plusSeconds(100));
        f.deliverer.round();
        assertThat(registry.get("leopard.notify.waiting").gauge().value()).as("read 100 s after the 1 s read").isEqualTo(1);
        assertThat(registry.get("leopard.notify.oldest.undelivered.age").gauge().value()).as("written at +30 s").isEqualTo(70.0);
        now.set(NOW.plusSeconds(103));
        assertThat(registry.get("leopard.notify.oldest.undelivered.age").gauge().value()).as("growing between reads")
                .isEqualTo(73.0);
    }

    @Test
    void aMerchantsBacklogIsDeliveredInOneRoundAtPerMerchantAttemptsAtOnce() throws Exception {
        // concurrency 4, per-merchant 2: a round claims 16, and the merchant gets 2 at a time until all 16 are done
        // (a 5 s timeout, the time lanes may start attempts in: 8 one after another take longer than 500 ms on a busy machine)
        Fixture f = fixture(DatabaseVendor.H2, roomy(), receiverUrl());
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        answer = form -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            return new Answer(200, "SUCCESS", 0);
        };
        for (int i = 0; i < 20; i++) {
            f.order("B" + i, OrderState.SUCCESS);
        }
        assertThat(f.deliverer.round()).as("a batch: concurrency x 4").isEqualTo(16);
        assertThat(received).hasSize(16);
        assertThat(most.get()).as("attempts at once to the merchant").isEqualTo(2);
        assertThat(f.rows("SELECT state, COUNT(*) FROM notify_deliveries GROUP BY state ORDER BY state"))
                .containsExactly("DELIVERED 16", "PENDING 4");
        assertThat(f.deliverer.round()).isEqualTo(4);
        assertThat(f.rows("SELECT state, attempts, COUNT(*) FROM notify_deliveries GROUP BY state, attempts"))
                .containsExactly("DELIVERED 1 20");
    }

    @Test
    void aSlowReceiverHoldsARoundAboutTwiceTheTimeoutAndNobodyElsesDeliveries() throws Exception {
        // a 1.5 s timeout: room for the fast merchant's attempts, three after another, on a busy machine
        Fixture f = fixture(DatabaseVendor.H2, new NotifySettings(true, Duration.ofSeconds(1), Duration.ofMillis(1500), THREE, 4, 2,
                true, NotifySettings.DEFAULT_RETENTION), receiverUrl());
        String fast = "100000510983457";
        f.merchants.add(fast, "fast shop", "key-of-shop-457");
        f.merchants.setNotify(fast, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify", null);
        f.directory.refreshNow();
        answer = form -> new Answer(200, "SUCCESS", MID.equals(form.get("mid")) ? 5000 : 0);
        for (int i = 0; i < 6; i++) {
            f.order("S" + i, OrderState.SUCCESS); // the slow merchant's, claimed first
        }
        for (int i = 0; i < 6; i++) {
            f.writes.apply(List.of(new Order(fast, "Q" + i, "FQ" + i, "TQ" + i, new BigDecimal("50.00"), "wechat", Scene.QRCODE,
                    OrderState.SUCCESS, NOW.minusSeconds(60), NOW.minusSeconds(5))), WriteSource.API);
        }
        long start = System.nanoTime();
        assertThat(f.deliverer.round()).isEqualTo(12);
        assertThat((System.nanoTime() - start) / 1_000_000).as("two lanes of 1.5 s timeouts, then the rest put back")
                .isLessThan(4000);
        assertThat(f.rows("SELECT mid, state, attempts, due_at, COUNT(*) FROM notify_deliveries GROUP BY mid, state, attempts, due_at"
                + " ORDER BY mid, state, attempts")).containsExactly(
                MID + " PENDING 0 " + NOW.toEpochMilli() + " 4",        // put back, due at once, no attempt counted
                MID + " PENDING 1 " + NOW.plusSeconds(15).toEpochMilli() + " 2", // the two attempts that timed out
                fast + " DELIVERED 1 null 6");
    }

    @Test
    void aSuccessAnswerIsTrimmedAndOfAnyCase() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        answer = form -> new Answer(200, "  success\r\n", 0);
        f.order("N1", OrderState.SUCCESS);
        f.deliverer.round();
        assertThat(f.rows("SELECT state FROM notify_deliveries")).containsExactly("DELIVERED");
    }

    @Test
    void aReceiverThatHangsIsCutOffAtTheTimeout() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        answer = form -> new Answer(200, "SUCCESS", 3000);
        f.order("N1", OrderState.SUCCESS);
        long start = System.nanoTime();
        f.deliverer.round();
        assertThat((System.nanoTime() - start) / 1_000_000).as("bounded by the 500 ms timeout").isLessThan(2500);
        assertThat(f.rows("SELECT error FROM notify_attempts")).singleElement().asString().startsWith("no whole answer within 500 ms");
    }

    @Test
    void aTenMegabyteAnswerIsCutAfterItsFirstBytes() throws Exception {
        // a 5 s timeout: making 10 MB to send may take the receiver more than 500 ms on a busy machine
        Fixture f = fixture(DatabaseVendor.H2, roomy(), receiverUrl());
        String huge = "x".repeat(10 * 1024 * 1024);
        answer = form -> new Answer(200, huge, 0);
        f.order("N1", OrderState.SUCCESS);
        f.deliverer.round();
        // the answer was not buffered whole (Deliverer.MAX_ANSWER_BYTES are read); 256 characters of it are kept
        assertThat(f.rows("SELECT http_status, answer, error FROM notify_attempts")).containsExactly("200 " + "x".repeat(256) + " null");
        assertThat(f.rows("SELECT state, attempts FROM notify_deliveries")).containsExactly("PENDING 1");
    }

    @Test
    void aReceiverThatTricklesItsAnswerIsCutOffAtTheTimeout() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = socket.accept()) {
                    s.getInputStream().read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (byte b : "SUCCESS".getBytes(StandardCharsets.US_ASCII)) {
                        out.flush();
                        Thread.sleep(200); // 1.4 s for the body: past the 500 ms timeout
                        out.write(b);
                    }
                } catch (Exception ignored) {
                    // the deliverer hung up
                }
            });
            Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), "http://127.0.0.1:" + socket.getLocalPort() + "/notify");
            f.order("N1", OrderState.SUCCESS);
            f.deliverer.round();
            assertThat(f.rows("SELECT error FROM notify_attempts")).singleElement().asString().startsWith("no whole answer within 500 ms");
            assertThat(f.rows("SELECT state, attempts FROM notify_deliveries")).containsExactly("PENDING 1");
        }
    }

    @Test
    void aConnectionResetIsAFailedAttempt() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = socket.accept()) {
                    s.getInputStream().read(new byte[64]); // part of the request, then a reset (RST), no answer
                    s.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // done
                }
            });
            Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), "http://127.0.0.1:" + socket.getLocalPort() + "/notify");
            f.order("N1", OrderState.SUCCESS);
            f.deliverer.round();
            assertThat(f.rows("SELECT http_status, error FROM notify_attempts")).singleElement().asString()
                    .startsWith("null ").containsIgnoringCase("IOException");
            assertThat(f.rows("SELECT state, attempts, due_at FROM notify_deliveries"))
                    .containsExactly("PENDING 1 " + NOW.plusSeconds(15).toEpochMilli());
        }
    }

    @Test
    void aRedirectIsNeverFollowed() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), receiverUrl());
        receiver.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/notify");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        f.merchants.setNotify(MID, "http://127.0.0.1:" + receiver.getAddress().getPort() + "/moved", null);
        f.order("N1", OrderState.SUCCESS);
        f.deliverer.round();
        assertThat(received).isEmpty();
        assertThat(f.rows("SELECT http_status FROM notify_attempts")).containsExactly("302");
    }

    @Test
    void anInternalAddressIsRefusedUnlessPrivateNetworksAreAllowed() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(false, THREE), receiverUrl());
        f.order("N1", OrderState.SUCCESS);
        f.deliverer.round();
        assertThat(received).as("never called").isEmpty();
        assertThat(f.rows("SELECT error FROM notify_attempts")).singleElement().asString()
                .startsWith("refused: the host 127.0.0.1 resolves to 127.0.0.1, an internal address");
    }

    @Test
    void aConnectionRefusedIsAFailedAttempt() throws Exception {
        String url = receiverUrl();
        receiver.stop(0);
        receiver = null;
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), url);
        f.order("N1", OrderState.SUCCESS);
        f.deliverer.round();
        assertThat(f.rows("SELECT state, attempts FROM notify_deliveries")).containsExactly("PENDING 1");
        assertThat(f.rows("SELECT error FROM notify_attempts")).singleElement().asString().contains("ConnectException");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void theNotificationIsWrittenWithItsChangeOrNotAtAll(DatabaseVendor vendor) throws Exception {
        Fixture f = fixture(vendor, settings(true, THREE), "https://shop.example/notify");
        f.order("N1", OrderState.SUCCESS);
        assertThat(f.rows("SELECT flow_no, version, mid, url, state FROM notify_deliveries"))
                .containsExactly("FN1 1 " + MID + " https://shop.example/notify PENDING");
        f.merchants.setNotify(MID, null, null);
        f.order("N2", OrderState.SUCCESS);
        assertThat(f.rows("SELECT flow_no FROM notify_deliveries")).as("no URL, no delivery").containsExactly("FN1");
        assertThat(f.rows("SELECT COUNT(*) FROM order_changes WHERE flow_no = 'FN2'")).as("the event is kept").containsExactly("1");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void twoNodesNeverClaimTheSameDelivery(DatabaseVendor vendor) throws Exception {
        Fixture f = fixture(vendor, settings(true, THREE), "https://shop.example/notify");
        int n = 200;
        for (int i = 0; i < n; i++) {
            f.order("C" + i, OrderState.SUCCESS);
        }
        Database second = f.db.secondPool(); // the other node's own pool
        closing.add(second::close);
        NotifyStore nodeA = new NotifyStore(f.database);
        NotifyStore nodeB = new NotifyStore(second);
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                Instant at = NOW.plusSeconds(round * 1000L);
                if (round > 0) {
                    try (Connection c = f.database.connection();
                         PreparedStatement ps = c.prepareStatement("UPDATE notify_deliveries SET due_at = ?")) {
                        ps.setLong(1, at.toEpochMilli() - round); // all due again
                        ps.executeUpdate();
                    }
                }
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();
                java.util.concurrent.Future<List<String>> a = pool.submit(() -> claimAll(nodeA, start, total, at, n));
                java.util.concurrent.Future<List<String>> b = pool.submit(() -> claimAll(nodeB, start, total, at, n));
                List<String> byA = a.get(60, java.util.concurrent.TimeUnit.SECONDS);
                List<String> byB = b.get(60, java.util.concurrent.TimeUnit.SECONDS);
                java.util.Set<String> setA = new java.util.HashSet<>(byA);
                java.util.Set<String> setB = new java.util.HashSet<>(byB);
                assertThat(setA).as("round %d: no delivery twice on one node", round).hasSize(byA.size());
                assertThat(setB).hasSize(byB.size());
                java.util.Set<String> both = new java.util.HashSet<>(setA);
                both.retainAll(setB);
                assertThat(both).as("round %d: claimed by both nodes", round).isEmpty();
                java.util.Set<String> union = new java.util.HashSet<>(setA);
                union.addAll(setB);
                assertThat(union).as("round %d: every due delivery claimed", round).hasSize(n);
                assertThat(nodeB.claimDue(at, 10, at.plusSeconds(60))).as("held: none due any more").isEmpty();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Claims in small batches until all {@code n} are claimed (by either node) or 2000 claims were made. */
    private static List<String> claimAll(NotifyStore store, java.util.concurrent.CyclicBarrier start,
                                         java.util.concurrent.atomic.AtomicInteger total, Instant at, int n) throws Exception {
        start.await(30, java.util.concurrent.TimeUnit.SECONDS);
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 2000 && total.get() < n; i++) {
            for (NotifyStore.Due d : store.claimDue(at, 7, at.plus(Deliverer.HOLD))) {
                mine.add(d.eventId());
                total.incrementAndGet();
            }
        }
        return mine;
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void twoDeliverersOnOneDatabaseSendEachNotificationOnce(DatabaseVendor vendor) throws Exception {
        // a 5 s timeout: on a busy machine a round's lanes must not run out of time and put deliveries back
        NotifySettings settings = roomy();
        Fixture f = fixture(vendor, settings, receiverUrl());
        answer = form -> new Answer(200, "SUCCESS", 2);
        int n = 120;
        for (int i = 0; i < n; i++) {
            f.order("D" + i, OrderState.SUCCESS);
        }
        Database second = f.db.secondPool();
        closing.add(second::close);
        Deliverer other = new Deliverer(second, f.directory, settings, ZONE, clock, new SimpleMeterRegistry());
        closing.add(other);
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.Future<Integer> a = pool.submit(() -> roundsUntilAllClaimed(f.deliverer, start, total, n));
            java.util.concurrent.Future<Integer> b = pool.submit(() -> roundsUntilAllClaimed(other, start, total, n));
            int byA = a.get(120, java.util.concurrent.TimeUnit.SECONDS);
            int byB = b.get(120, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(byA + byB).as("claimed in all").isEqualTo(n);
            assertThat(byA).as("both nodes delivered").isPositive();
            assertThat(byB).isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(received).extracting(form -> form.get("eventId")).as("each notification sent once").doesNotHaveDuplicates()
                .hasSize(n);
        assertThat(f.rows("SELECT state, attempts, COUNT(*) FROM notify_deliveries GROUP BY state, attempts"))
                .containsExactly("DELIVERED 1 " + n);
        assertThat(f.rows("SELECT COUNT(*) FROM notify_attempts")).containsExactly(Integer.toString(n));
    }

    /**
     * Rounds of {@code deliverer} until the two nodes together claimed all {@code n} (or 2000 rounds
     * were run). Not until it is idle: a round can come back empty while the other node holds what
     * is due (or, on MariaDB, when its claim lost a deadlock), and a node that stopped on three of
     * those would leave all the work to the other one.
     */
    private static int roundsUntilAllClaimed(Deliverer deliverer, java.util.concurrent.CyclicBarrier start,
                                             java.util.concurrent.atomic.AtomicInteger total, int n) throws Exception {
        start.await(30, java.util.concurrent.TimeUnit.SECONDS);
        int claimed = 0;
        for (int i = 0; i < 2000 && total.get() < n; i++) {
            int got = deliverer.round();
            claimed += got;
            total.addAndGet(got);
        }
        return claimed;
    }

    @Test
    void anOrdersOwnNotifyUrlOverridesTheMerchantsForAllItsChanges() throws Exception {
        Fixture f = fixture(DatabaseVendor.H2, settings(true, THREE), "https://shop.example/notify");
        com.fasterxml.jackson.databind.node.ObjectNode o = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("mid", MID).put("orderNo", "N1").put("flowNo", "FN1").put("amount", "50.00").put("type", "wechat")
                .put("scene", "qrcode").put("state", "INIT").put("orderTime", "20261203155900")
                .put("notifyUrl", "https://till-7.shop.example/paid");
        assertThat(f.writes.write(o, WriteSource.API).outcome()).isEqualTo(io.leopard.server.order.WriteOutcome.CREATED);
        o.remove("notifyUrl");
        o.put("state", "SUCCESS").put("tradeNo", "TN1").put("payTime", "20261203155930");
        f.writes.write(o, WriteSource.EVENT);
        assertThat(f.rows("SELECT url FROM notify_deliveries")).as("kept from the creation")
                .containsExactly("https://till-7.shop.example/paid");
        o.put("notifyUrl", "ftp://nope");
        assertThat(f.writes.write(o, WriteSource.API).field()).isEqualTo("notifyUrl");
    }

    @Test
    void anAddressGuardKnowsTheInternalRanges() throws Exception {
        for (String internal : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0",
                "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"}) {
            assertThat(AddressGuard.isInternal(java.net.InetAddress.getByName(internal))).as(internal).isTrue();
        }
        for (String external : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700::1111", "100.128.0.1"}) {
            assertThat(AddressGuard.isInternal(java.net.InetAddress.getByName(external))).as(external).isFalse();
        }
    }
}
