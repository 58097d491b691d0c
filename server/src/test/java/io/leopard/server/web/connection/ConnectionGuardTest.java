package io.leopard.server.web.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The guard's rules, with a clock moved by hand: no sockets, no sleeping. */
class ConnectionGuardTest {
    private static final ConnectionLimits LIMITS = new ConnectionLimits(6, 3, Duration.ofSeconds(75), Duration.ofSeconds(10));
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Conn> conns = new ArrayList<>();
    private final ConnectionGuard guard = new ConnectionGuard("test", LIMITS, now::get,
            a -> a.getHostAddress().equals("10.9.9.9"), Runnable::run);

    /** One connection as the test sees it: closed or not, answered on timeout or not. */
    private final class Conn {
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicBoolean timeoutAnswered = new AtomicBoolean();
        final WatchedConnection watched;

        Conn(String address, int port) {
            watched = guard.admit(peer(address, port), () -> closed.set(true));
            if (watched != null) {
                watched.onRequestTimeout(() -> timeoutAnswered.set(true));
                conns.add(this);
            }
        }

        boolean admitted() {
            return watched != null;
        }
    }

    private static InetSocketAddress peer(String address, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private void advance(long millis) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private void idle(Conn c) {
        c.watched.received(now.get());
        c.watched.answered(now.get());
    }

    @Test
    void aFreshConnectionIsNeverClosedToMakeRoom() {
        for (int port = 1; port <= 3; port++) {
            assertThat(new Conn("127.0.0.1", port).admitted()).isTrue();
        }
        Conn fourth = new Conn("127.0.0.1", 4);
        assertThat(fourth.admitted()).as("the address is at its cap and no one is idle or stalled").isFalse();
        assertThat(conns).noneMatch(c -> c.closed.get());
        assertThat(guard.refused()).isEqualTo(1);
        assertThat(guard.open()).isEqualTo(3);
    }

    @Test
    void theLongestIdleConnectionOfTheAddressMakesRoom() {
        Conn a = new Conn("127.0.0.1", 1);
        Conn b = new Conn("127.0.0.1", 2);
        Conn c = new Conn("127.0.0.1", 3);
        idle(b);
        advance(10);
        idle(a);
        idle(c);
        Conn d = new Conn("127.0.0.1", 4);
        assertThat(d.admitted()).isTrue();
        assertThat(b.closed).isTrue();
        assertThat(a.closed).isFalse();
        assertThat(c.closed).isFalse();
        assertThat(guard.evicted()).isEqualTo(1);
        assertThat(guard.open()).isEqualTo(3);
    }

    @Test
    void aConnectionStalledInItsRequestMakesRoomAfterTheGrace() {
        Conn slow = new Conn("127.0.0.1", 1);
        slow.watched.received(now.get());
        new Conn("127.0.0.1", 2);
        new Conn("127.0.0.1", 3);
        advance(TimeUnit.NANOSECONDS.toMillis(ConnectionGuard.PRESSURE_GRACE_NANOS) - 1);
        assertThat(new Conn("127.0.0.1", 4).admitted()).isFalse();
        advance(2);
        assertThat(new Conn("127.0.0.1", 5).admitted()).isTrue();
        assertThat(slow.closed).isTrue();
    }

    @Test
    void aMerchantsConnectionIsNeverClosedToMakeRoom() {
        Conn merchant = new Conn("127.0.0.1", 1);
        idle(merchant);
        guard.trusted(merchant.watched.peer());
        Conn other = new Conn("127.0.0.1", 2);
        Conn third = new Conn("127.0.0.1", 3);
        advance(60_000);
        idle(other);
        idle(third);
        assertThat(new Conn("127.0.0.1", 4).admitted()).isTrue();
        assertThat(merchant.closed).as("idle the longest, but signed").isFalse();
        assertThat(other.closed).isTrue();
    }

    @Test
    void anAddressAtItsCapIsRefusedWithoutClosingOtherAddressesConnections() {
        for (int i = 2; i <= 4; i++) {
            Conn c = new Conn("127.0.0." + i, 1);
            idle(c);
        }
        for (int port = 1; port <= 3; port++) {
            new Conn("127.0.0.1", port); // fresh: nothing of this address can make room
        }
        assertThat(guard.open()).as("the listener is full too").isEqualTo(6);
        assertThat(new Conn("127.0.0.1", 4).admitted()).isFalse();
        assertThat(conns.subList(0, 3)).as("the other addresses' idle connections").noneMatch(c -> c.closed.get());
    }

    @Test
    void otherAddressesAreNotClosedForAnAddressAtItsCap() {
        Conn elsewhere = new Conn("127.0.0.2", 1);
        idle(elsewhere);
        for (int port = 1; port <= 3; port++) {
            new Conn("127.0.0.1", port);
        }
        assertThat(new Conn("127.0.0.1", 4).admitted()).isFalse();
        assertThat(elsewhere.closed).isFalse();
    }

    @Test
    void theListenerCapHoldsAcrossAddressesAndMakesRoomFromAny() {
        for (int i = 1; i <= 6; i++) {
            Conn c = new Conn("127.0.0." + i, 1);
            idle(c);
            advance(1);
        }
        Conn seventh = new Conn("127.0.0.7", 1);
        assertThat(seventh.admitted()).isTrue();
        assertThat(conns.get(0).closed).as("the one idle the longest").isTrue();
        assertThat(guard.open()).isEqualTo(6);
    }

    @Test
    void trustedProxiesHaveNoPerAddressCapAndAreNeverClosedToMakeRoom() {
        for (int port = 1; port <= 6; port++) {
            Conn c = new Conn("10.9.9.9", port);
            assertThat(c.admitted()).isTrue();
            idle(c);
        }
        assertThat(new Conn("127.0.0.1", 1).admitted()).as("the listener is full of proxy connections").isFalse();
        assertThat(conns).noneMatch(c -> c.closed.get());
    }

    @Test
    void idleConnectionsCloseAfterTheIdleTimeout() {
        Conn c = new Conn("127.0.0.1", 1);
        idle(c);
        advance(75_000);
        guard.sweep();
        assertThat(c.closed).isFalse();
        advance(1);
        guard.sweep();
        assertThat(c.closed).isTrue();
        assertThat(c.timeoutAnswered).as("nothing was being asked").isFalse();
        assertThat(guard.timedOut()).isEqualTo(1);
        assertThat(guard.open()).isZero();
    }

    @Test
    void aRequestNotReceivedWithinTheRequestTimeoutIsAnsweredAndClosed() {
        Conn c = new Conn("127.0.0.1", 1);
        advance(5_000);
        c.watched.received(now.get());
        advance(9_000);
        c.watched.received(now.get()); // one more byte: the clock runs from the first one
        advance(1_001);
        guard.sweep();
        assertThat(c.closed).isTrue();
        assertThat(c.timeoutAnswered).isTrue();
    }

    @Test
    void aConnectionThatNeverSendsClosesAfterTheRequestTimeout() {
        Conn c = new Conn("127.0.0.1", 1);
        advance(10_000);
        guard.sweep();
        assertThat(c.closed).isFalse();
        advance(1);
        guard.sweep();
        assertThat(c.closed).isTrue();
    }

    @Test
    void releaseCountsOnceAndFreesTheAddress() {
        Conn a = new Conn("127.0.0.1", 1);
        new Conn("127.0.0.1", 2);
        new Conn("127.0.0.1", 3);
        guard.release(a.watched);
        guard.release(a.watched);
        assertThat(guard.open()).isEqualTo(2);
        assertThat(new Conn("127.0.0.1", 4).admitted()).isTrue();
        assertThat(new Conn("127.0.0.1", 5).admitted()).isFalse();
    }

    @Test
    void aHandshakeThatFailedIsForgottenAtTheNextSweep() {
        AtomicBoolean socketClosed = new AtomicBoolean();
        WatchedConnection tls = guard.admit(peer("127.0.0.1", 9), () -> { }, socketClosed::get);
        assertThat(guard.adoptOrAdmit(peer("127.0.0.1", 9), () -> { }, true)).isSameAs(tls);
        socketClosed.set(true);
        guard.sweep();
        assertThat(guard.open()).isZero();
        assertThat(guard.timedOut()).isZero();
    }

    @Test
    void aConnectionWhoseRequestIsBeingHandledIsNeverClosedToMakeRoom() {
        Conn busy = new Conn("127.0.0.1", 1);
        busy.watched.received(now.get());
        guard.processing(busy.watched.peer());
        new Conn("127.0.0.1", 2);
        new Conn("127.0.0.1", 3);
        advance(5_000);
        Conn fourth = new Conn("127.0.0.1", 4);
        assertThat(fourth.admitted()).as("the two stalled ones make room").isTrue();
        assertThat(busy.closed).isFalse();
    }

    @Test
    void aHandlerThatRunsPastTheRequestTimeoutIsClosedWithoutAnAnswerOfTheGuards() {
        Conn c = new Conn("127.0.0.1", 1);
        c.watched.received(now.get());
        advance(9_000);
        guard.processing(c.watched.peer());
        advance(9_000);
        guard.sweep();
        assertThat(c.closed).as("the handler's time counts from when it started").isFalse();
        advance(1_001);
        guard.sweep();
        assertThat(c.closed).isTrue();
        assertThat(c.timeoutAnswered).as("the handler may be writing its own answer").isFalse();
    }

    @Test
    void stoppingClosesWhatIsNotBeingHandled() {
        Conn idleOne = new Conn("127.0.0.1", 1);
        idle(idleOne);
        Conn receiving = new Conn("127.0.0.2", 1);
        receiving.watched.received(now.get());
        Conn fresh = new Conn("127.0.0.3", 1);
        Conn busy = new Conn("127.0.0.4", 1);
        guard.processing(busy.watched.peer());
        Conn body = new Conn("127.0.0.6", 1);
        body.watched.received(now.get());
        guard.readingBody(body.watched.peer());
        guard.closeUnhandled();
        assertThat(body.closed).as("its handler is reading the body: in flight").isFalse();
        assertThat(idleOne.closed).isTrue();
        assertThat(receiving.closed).isTrue();
        assertThat(fresh.closed).isTrue();
        assertThat(busy.closed).isFalse();
        assertThat(guard.open()).isEqualTo(2);
        assertThat(new Conn("127.0.0.5", 1).admitted()).as("accepted while stopping").isFalse();
    }

    @Test
    void aTricklingBodyIsTimedFromTheRequestsFirstByteAndMakesRoomAfterTheGrace() {
        Conn slow = new Conn("127.0.0.1", 1);
        slow.watched.received(now.get());
        guard.readingBody(slow.watched.peer());
        new Conn("127.0.0.1", 2);
        new Conn("127.0.0.1", 3);
        advance(1_500);
        assertThat(new Conn("127.0.0.1", 4).admitted()).as("a body trickling for 1.5 s makes room").isTrue();
        assertThat(slow.closed).isTrue();
        Conn other = new Conn("127.0.0.2", 1);
        other.watched.received(now.get());
        guard.readingBody(other.watched.peer());
        advance(10_001);
        guard.sweep();
        assertThat(other.closed).isTrue();
        assertThat(other.timeoutAnswered).isTrue();
    }
}
