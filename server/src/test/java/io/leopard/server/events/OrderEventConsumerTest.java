package io.leopard.server.events;

import static io.leopard.server.demo.DemoFixture.MID;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.GetResponse;
import io.leopard.protocol.OrderState;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.StoredOrder;
import io.leopard.server.store.Database;
import io.leopard.server.testing.FaultyProxy;
import io.leopard.server.testing.LiveLeopard;
import io.leopard.server.testing.TestBroker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The consumer against the machine's RabbitMQ and a real (embedded) database with the demo merchants. */
class OrderEventConsumerTest {
    private static final long WAIT_NANOS = 30_000_000_000L;

    private TestBroker broker;
    private Database database;
    private OrderWrites writes;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeEach
    void setUp() {
        broker = TestBroker.connect();
        database = Database.open(LiveLeopard.seeded(Map.of()).settings().database());
        writes = new OrderWrites(database, ZoneId.of("Asia/Shanghai"), Clock.systemUTC(), registry);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closing.reversed()) {
            c.close();
        }
        database.close();
        broker.close();
    }

    static String event(String orderNo, String state, String extra) {
        return "{\"mid\":\"" + MID + "\",\"orderNo\":\"" + orderNo + "\",\"flowNo\":\"F" + orderNo + "\",\"amount\":\"50.00\","
                + "\"type\":\"wechat\",\"scene\":\"brushcard\",\"state\":\"" + state + "\",\"orderTime\":\"20261202160000\"" + extra + "}";
    }

    private OrderEventConsumer consumer(String uri, int prefetch, BooleanSupplier databaseReachable) {
        OrderEventConsumer c = new OrderEventConsumer(new EventSettings(uri, broker.queue(), prefetch), writes, databaseReachable,
                registry).start();
        closing.add(c);
        return c;
    }

    private OrderEventConsumer connectedConsumer() throws InterruptedException {
        OrderEventConsumer c = consumer(broker.uri(), 50, () -> true);
        await("connected", c::connected);
        return c;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for: " + what).isLessThan(end);
            Thread.sleep(10);
        }
    }

    private double consumed(String outcome) {
        var c = registry.find("leopard.events.consumed").tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private Optional<StoredOrder> order(String orderNo) {
        return writes.find(MID, orderNo);
    }

    @Test
    void eventsCreateAndMoveOrdersAndDuplicatesAndLateOnesChangeNothing() throws Exception {
        connectedConsumer();
        broker.publish(event("E1", "INIT", ""));
        broker.publish(event("E1", "SUCCESS", ",\"tradeNo\":\"T1\",\"payTime\":\"20261202160005\""));
        broker.publish(event("E1", "SUCCESS", ",\"tradeNo\":\"T1\",\"payTime\":\"20261202160005\"")); // a duplicate
        broker.publish(event("E1", "INIT", "")); // arrived late
        await("four events acknowledged", () -> consumed("created") + consumed("changed") + consumed("unchanged") + consumed("late") == 4);
        StoredOrder stored = order("E1").orElseThrow();
        assertThat(stored.order().state()).isEqualTo(OrderState.SUCCESS);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(consumed("late")).isEqualTo(1);
        assertThat(consumed("unchanged")).isEqualTo(1);
        assertThat(broker.ready(broker.queue())).isZero();
        assertThat(broker.ready(broker.queue() + ".dead")).isZero();
        assertThat(registry.get("leopard.events.lag.seconds").gauge().value()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void whatCannotBeAppliedIsDeadLetteredWithItsReasonAndTheQueueKeepsFlowing() throws Exception {
        connectedConsumer();
        broker.publish(event("D1", "SUCCESS", ",\"tradeNo\":\"T1\",\"payTime\":\"20261202160005\""));
        await("D1 applied", () -> order("D1").isPresent());
        Map<String, String> bad = new java.util.LinkedHashMap<>();
        bad.put("{\"mid\":", "malformed");
        bad.put("[1,2]", "malformed");
        bad.put(event("D2", "INIT", "") + "{}", "malformed");
        bad.put("{\"mid\":\"1\",\"mid\":\"2\"}", "malformed");
        bad.put(event("D3", "INIT", ",\"tradeNo\":\"" + "x".repeat(70_000) + "\""), "too_large");
        bad.put(event("D1", "SUCCESS", "").replace("\"50.00\"", "\"51.00\""), "conflict");
        bad.put(event("D1", "FAILED", ""), "conflict");
        bad.put(event("D4", "INIT", "").replace(MID, "100000510983499"), "unknown_merchant");
        bad.put(event("D5", "INIT", ",\"colour\":\"red\""), "invalid");
        bad.put(event("D6", "PAID", ""), "invalid");
        for (String body : bad.keySet()) {
            broker.publish(body);
        }
        broker.publish(event("D9", "INIT", ""));
        await("the good event after the bad ones applied", () -> order("D9").isPresent());
        await("every bad one dead-lettered", () -> consumed("dead_lettered") == bad.size());
        List<String> outcomes = new ArrayList<>();
        Map<String, String> reasons = new HashMap<>();
        for (GetResponse r; (r = broker.take(broker.queue() + ".dead")) != null; ) {
            String outcome = String.valueOf(r.getProps().getHeaders().get(DeadLetters.OUTCOME));
            outcomes.add(outcome);
            reasons.put(new String(r.getBody(), StandardCharsets.UTF_8), String.valueOf(r.getProps().getHeaders().get(DeadLetters.REASON)));
            assertThat(String.valueOf(r.getProps().getHeaders().get(DeadLetters.FROM_QUEUE))).isEqualTo(broker.queue());
        }
        assertThat(outcomes).containsExactlyElementsOf(bad.values());
        assertThat(reasons.get(event("D1", "FAILED", ""))).contains("cannot move from SUCCESS to FAILED");
        assertThat(reasons.get(event("D5", "INIT", ",\"colour\":\"red\""))).contains("colour");
        assertThat(reasons.values()).allSatisfy(reason -> assertThat(reason).doesNotContain("\n").hasSizeLessThan(600));
        assertThat(order("D4")).isEmpty();
        assertThat(order("D1").orElseThrow().order().amount()).isEqualByComparingTo("50.00");
        assertThat(broker.ready(broker.queue())).isZero();
    }

    @Test
    void whileTheDatabaseIsAwayNothingIsAcknowledgedOrDeadLettered() throws Exception {
        database.close(); // every write now fails as in an outage
        OrderEventConsumer c = consumer(broker.uri(), 50, () -> false);
        await("connected", c::connected);
        for (int i = 0; i < 5; i++) {
            broker.publish(event("O" + i, "INIT", ""));
        }
        await("the events delivered", () -> {
            try {
                return broker.ready(broker.queue()) == 0;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        c.close();
        await("all five back in the queue once the consumer is gone", () -> {
            try {
                return broker.ready(broker.queue()) == 5;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(broker.ready(broker.queue() + ".dead")).isZero();
        assertThat(consumed("dead_lettered")).isZero();
    }

    @Test
    void theConsumerComesBackByItselfWhenTheConnectionIsCut() throws Exception {
        try (FaultyProxy proxy = FaultyProxy.to(TestBroker.HOST, TestBroker.PORT)) {
            OrderEventConsumer c = consumer(TestBroker.uri(proxy.port()), 50, () -> true);
            await("connected", c::connected);
            broker.publish(event("R1", "INIT", ""));
            await("R1 applied", () -> order("R1").isPresent());
            proxy.sever();
            await("disconnected", () -> !c.connected());
            broker.publish(event("R2", "INIT", ""));
            proxy.restore();
            await("reconnected", c::connected);
            await("R2 applied after the reconnect", () -> order("R2").isPresent());
        }
    }

    @Test
    void aDeletedDeadLetterQueueIsMadeAgainAndTheEventIsNotLost() throws Exception {
        connectedConsumer();
        broker.delete(broker.queue() + ".dead");
        broker.publish("{\"not\":");
        await("the event in the dead-letter queue made again", () -> {
            try {
                return broker.ready(broker.queue() + ".dead") == 1;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertThat(consumed("dead_lettered")).isEqualTo(1);
    }

    @Test
    void aDeletedQueueIsDeclaredAgainAndConsumed() throws Exception {
        OrderEventConsumer c = connectedConsumer();
        broker.delete(broker.queue());
        await("cancelled", () -> !c.connected());
        await("consuming again", c::connected);
        broker.publish(event("Q1", "INIT", ""));
        await("Q1 applied", () -> order("Q1").isPresent());
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNoFailureJustNotConnected() throws Exception {
        int nothing;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nothing = s.getLocalPort();
        }
        OrderEventConsumer c = consumer(TestBroker.uri(nothing), 50, () -> true);
        Thread.sleep(300); // it tries in the background; the point is that it neither throws nor claims to be connected
        assertThat(c.connected()).isFalse();
        c.close();
    }
}
