package io.leopard.server.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.leopard.protocol.OrderState;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The feed over the store, on each database: every writer's changes in commit order, only notified
 * ones, only the asking merchant's whatever the cursor, and the settle window to the second.
 */
class EventFeedTest {
    private static final String MID = "100000510983456";
    private static final String OTHER = "100000510983457";
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final Instant T = Instant.parse("2026-12-03T08:00:00.500Z");

    private TestDatabase db;

    private void open(DatabaseVendor vendor) {
        db = TestDatabases.create(vendor);
        MerchantStore store = new MerchantStore(db.database(), new KeyCipher(MasterKey.random()));
        store.add(MID, "A", "key-aaaaaaaa");
        store.add(OTHER, "B", "key-bbbbbbbb");
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private void write(Instant at, WriteSource source, Order... orders) {
        new OrderWrites(db.database(), ZONE, Clock.fixed(at, ZoneOffset.UTC), new SimpleMeterRegistry()).apply(List.of(orders), source);
    }

    private static Order order(String mid, String orderNo, OrderState state) {
        // flow numbers are the platform's, unique across merchants
        return new Order(mid, orderNo, "F" + orderNo + (mid.equals(OTHER) ? "X" : ""), state == OrderState.SUCCESS ? "T" + orderNo : null, new BigDecimal("1.00"),
                "wechat", Scene.QRCODE, state, Instant.parse("2026-12-03T07:59:00Z"),
                state == OrderState.SUCCESS ? Instant.parse("2026-12-03T07:59:30Z") : null);
    }

    private EventFeed feed(Duration settle, Instant now) {
        return new EventFeed(db.database(), ZONE, settle, Clock.fixed(now, ZoneOffset.UTC));
    }

    private static List<String> ids(EventFeed.Page page) {
        return page.events().stream().map(e -> e.get("eventId")).toList();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void everyWritersNotifiedChangesInOrderAndNothingElse(DatabaseVendor vendor) {
        open(vendor);
        write(T, WriteSource.API, order(MID, "A1", OrderState.INIT));          // pending: recorded, no event
        write(T, WriteSource.EVENT, order(MID, "A2", OrderState.SUCCESS));
        write(T, WriteSource.IMPORT, order(MID, "A3", OrderState.CLOSED));
        write(T, WriteSource.SYNC, order(MID, "A1", OrderState.SUCCESS));      // the pending one, paid
        write(T, WriteSource.API, order(OTHER, "A2", OrderState.FAILED));      // another merchant's
        write(T, WriteSource.API, order(MID, "A2", OrderState.SUCCESS));       // the same again: nothing

        EventFeed.Page page = feed(Duration.ZERO, T).page(MID, 0, 50);
        assertThat(ids(page)).containsExactly("FA2-1", "FA3-1", "FA1-2");
        assertThat(page.hasMore()).isFalse();
        Map<String, String> paid = page.events().get(2);
        assertThat(paid).containsEntry("status", "1").containsEntry("tradeNo", "TA1").containsEntry("payTime", "20261203155930")
                .containsEntry("changeTime", "20261203160000");
        assertThat(ids(feed(Duration.ZERO, T).page(OTHER, 0, 50))).containsExactly("FA2X-1");

        EventFeed.Page first = feed(Duration.ZERO, T).page(MID, 0, 2);
        assertThat(ids(first)).containsExactly("FA2-1", "FA3-1");
        assertThat(first.hasMore()).isTrue();
        EventFeed.Page rest = feed(Duration.ZERO, T).page(MID, first.last(), 2);
        assertThat(ids(rest)).containsExactly("FA1-2");
        assertThat(rest.hasMore()).isFalse();
        EventFeed.Page none = feed(Duration.ZERO, T).page(MID, rest.last(), 2);
        assertThat(none.events()).isEmpty();
        assertThat(none.last()).isEqualTo(rest.last());
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aChangeIsListedOnlyOnceItIsAtLeastTheWindowOldStampsBeingCutToTheSecond(DatabaseVendor vendor) {
        open(vendor);
        write(T, WriteSource.API, order(MID, "B1", OrderState.SUCCESS));       // stamped 08:00:00, made 08:00:00.5
        Duration settle = Duration.ofSeconds(5);
        assertThat(feed(settle, T.plusMillis(4_900)).page(MID, 0, 50).events()).isEmpty();   // 4.9 s old
        assertThat(feed(settle, T.plusMillis(5_400)).page(MID, 0, 50).events()).isEmpty();   // 5.4 s old, but its stamp is not
        assertThat(ids(feed(settle, T.plusMillis(5_500)).page(MID, 0, 50))).containsExactly("FB1-1");
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void pagesOfAnySizeWalkTheChangesInCommitOrderAndOnlyTheMerchantsOwn(DatabaseVendor vendor) {
        open(vendor);
        // two merchants' changes interleaved, one commit each, and a batch of several in one commit
        List<String> mine = new ArrayList<>();
        write(T, WriteSource.API, order(MID, "R1", OrderState.INIT)); // pending: no event until it is paid, last
        for (int i = 0; i < 12; i++) {
            write(T, WriteSource.API, order(MID, "P" + i, i % 3 == 0 ? OrderState.CLOSED : OrderState.SUCCESS));
            mine.add("FP" + i + "-1");
            write(T, WriteSource.EVENT, order(OTHER, "P" + i, OrderState.SUCCESS));
        }
        write(T, WriteSource.API, order(MID, "Q1", OrderState.SUCCESS), order(OTHER, "Q1", OrderState.FAILED),
                order(MID, "Q2", OrderState.SUCCESS));
        mine.add("FQ1-1");
        mine.add("FQ2-1");
        write(T, WriteSource.SYNC, order(MID, "R1", OrderState.SUCCESS)); // the oldest order's change comes last
        mine.add("FR1-2");

        for (int limit : new int[] {1, 2, 5, 50}) {
            List<String> walked = new ArrayList<>();
            long cursor = 0;
            for (int pages = 0; pages < 100; pages++) {
                EventFeed.Page page = feed(Duration.ZERO, T).page(MID, cursor, limit);
                assertThat(page.events()).hasSizeLessThanOrEqualTo(limit);
                assertThat(page.last()).as("the cursor moves forward only").isGreaterThanOrEqualTo(cursor);
                walked.addAll(ids(page));
                cursor = page.last();
                if (!page.hasMore()) {
                    break;
                }
            }
            assertThat(walked).as("limit %d: every own event once, in the order recorded", limit).isEqualTo(mine);
        }

        // a cursor taken from the other merchant's feed is a position, not a permission
        EventFeed.Page theirs = feed(Duration.ZERO, T).page(OTHER, 0, 5);
        assertThat(ids(theirs)).allMatch(id -> id.endsWith("X-1"));
        List<String> after = ids(feed(Duration.ZERO, T).page(MID, theirs.last(), 50));
        assertThat(after).isNotEmpty().allMatch(mine::contains);
        assertThat(after).isEqualTo(mine.subList(mine.size() - after.size(), mine.size()));
        assertThat(ids(feed(Duration.ZERO, T).page(OTHER, 0, 50))).hasSize(13).noneMatch(mine::contains);
    }
}
