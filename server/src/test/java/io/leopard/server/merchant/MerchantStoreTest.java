package io.leopard.server.merchant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.access.AccessPolicy;
import io.leopard.server.access.CidrRange;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.store.StoreException;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MerchantStoreTest {
    private static final String MID = DemoFixture.MID;
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private final KeyCipher cipher = new KeyCipher(MasterKey.random());

    private static Duration replayWindowOf(MerchantStore store) {
        return store.loadAll().stream().filter(m -> m.mid().equals(MID)).findFirst().orElseThrow().replayWindow();
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void addsListsRotatesAndDisables(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            MerchantStore store = new MerchantStore(t.database(), cipher, Clock.fixed(NOW, ZoneOffset.UTC));
            String stamp0 = store.changeStamp();
            store.add(MID, "Test shop 测试", "ddbax6n4cg8qj958ytt6");
            store.add(DemoFixture.OTHER_MID, "Other", "k".repeat(64));
            assertThat(store.list()).containsExactly(
                    new MerchantSummary(MID, "Test shop 测试", true, NOW),
                    new MerchantSummary(DemoFixture.OTHER_MID, "Other", true, NOW));
            assertThat(store.exists(MID)).isTrue();
            assertThat(store.exists("999999999999999")).isFalse();
            assertThat(store.loadAll()).contains(new Merchant(MID, "Test shop 测试", true, "ddbax6n4cg8qj958ytt6", null, null));
            String stamp1 = store.changeStamp();
            assertThat(stamp1).isNotEqualTo(stamp0);

            assertThat(store.rotateKey(MID, "newkey12345", Duration.ofHours(24))).isTrue();
            assertThat(store.loadAll()).contains(new Merchant(MID, "Test shop 测试", true, "newkey12345",
                    "ddbax6n4cg8qj958ytt6", NOW.plus(Duration.ofHours(24))));
            String stamp2 = store.changeStamp();
            assertThat(stamp2).isNotEqualTo(stamp1);

            assertThat(store.loadAll().get(0).debug()).as("debug is off unless set").isFalse();
            assertThat(store.setDebug(MID, true)).isTrue();
            assertThat(store.loadAll()).filteredOn(m -> m.mid().equals(MID)).singleElement().extracting(Merchant::debug).isEqualTo(true);
            String stampDebug = store.changeStamp();
            assertThat(stampDebug).isNotEqualTo(stamp2);
            assertThat(store.setDebug("999999999999999", true)).isFalse();
            assertThat(store.setDebug(MID, false)).isTrue();

            assertThat(replayWindowOf(store)).as("replay protection is off unless set").isNull();
            assertThat(store.setReplayWindow(MID, Duration.ofMinutes(5))).isTrue();
            assertThat(replayWindowOf(store)).isEqualTo(Duration.ofMinutes(5));
            assertThat(store.changeStamp()).as("the directory notices it").isNotEqualTo(stampDebug);
            assertThat(store.setReplayWindow(MID, Duration.ofMinutes(1))).isTrue();
            assertThat(store.setReplayWindow(MID, Duration.ofHours(1))).isTrue();
            assertThat(replayWindowOf(store)).isEqualTo(Duration.ofHours(1));
            for (Duration bad : List.of(Duration.ofSeconds(59), Duration.ofHours(1).plusSeconds(1), Duration.ofMillis(90_500),
                    Duration.ZERO)) {
                assertThatThrownBy(() -> store.setReplayWindow(MID, bad)).as(bad.toString())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1m to 1h");
            }
            assertThat(replayWindowOf(store)).as("a refused window changes nothing").isEqualTo(Duration.ofHours(1));
            assertThat(store.setReplayWindow("999999999999999", Duration.ofMinutes(5))).isFalse();
            assertThat(store.setReplayWindow(MID, null)).isTrue();
            assertThat(replayWindowOf(store)).isNull();
            stampDebug = store.changeStamp();

            assertThat(store.setEnabled(MID, false)).isTrue();
            assertThat(store.exists(MID)).as("a disabled merchant exists").isTrue();
            assertThat(store.list().get(0).enabled()).isFalse();
            assertThat(store.changeStamp()).isNotEqualTo(stampDebug);
            assertThat(store.setEnabled("999999999999999", false)).isFalse();
            assertThat(store.rotateKey("999999999999999", "newkey12345", Duration.ZERO)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void refusesBadInputAndDuplicates(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            MerchantStore store = new MerchantStore(t.database(), cipher);
            store.add(MID, "Shop", "secretkey1");
            assertThatThrownBy(() -> store.add(MID, "Again", "secretkey2"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("merchant " + MID + " already exists");
            assertThatThrownBy(() -> store.add("12345", "Shop", "secretkey1")).hasMessageContaining("15 digits");
            assertThatThrownBy(() -> store.add("100000000000001", " ", "secretkey1")).hasMessageContaining("name");
            assertThatThrownBy(() -> store.add("100000000000001", "x".repeat(129), "secretkey1")).hasMessageContaining("name");
            assertThatThrownBy(() -> store.add("100000000000001", "Shop", "short")).hasMessageContaining("key must be")
                    .message().doesNotContain("short");
            assertThatThrownBy(() -> store.rotateKey(MID, "bad key with spaces", Duration.ZERO)).hasMessageContaining("key must be");
            assertThat(store.list()).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aMerchantsOwnRateAndAllowListAreStoredAndLifted(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            MerchantStore store = new MerchantStore(t.database(), cipher);
            store.add(MID, "Shop", "secretkey1");
            String stamp = store.changeStamp();
            assertThat(store.setRateLimit(MID, 1, 1)).isTrue();
            assertThat(store.setAllowList(MID, CidrRange.parseList("203.0.113.0/24,2001:db8::/32"))).isTrue();
            assertThat(store.changeStamp()).isNotEqualTo(stamp);
            assertThat(store.loadAll().get(0).policy())
                    .isEqualTo(new AccessPolicy(1, 1, CidrRange.parseList("203.0.113.0/24,2001:db8::/32")));

            assertThat(store.setRateLimit(MID, null, null)).isTrue();
            assertThat(store.setAllowList(MID, List.of())).isTrue();
            assertThat(store.loadAll().get(0).policy()).isEqualTo(AccessPolicy.DEFAULT);

            assertThat(store.setRateLimit("999999999999999", 5, 10)).isFalse();
            assertThat(store.setAllowList("999999999999999", List.of())).isFalse();
        }
    }

    @Test
    void aRateNeedsBothPartsEachAtLeastOne() {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            MerchantStore store = new MerchantStore(t.database(), cipher);
            store.add(MID, "Shop", "secretkey1");
            for (Integer[] bad : new Integer[][] {{5, null}, {null, 5}, {0, 5}, {5, 0}, {-1, -1}}) {
                assertThatThrownBy(() -> store.setRateLimit(MID, bad[0], bad[1])).as(bad[0] + "/" + bad[1])
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--per-second and --burst");
            }
            List<CidrRange> tooMany = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                tooMany.add(CidrRange.parse("198.51." + i + ".0/24"));
            }
            assertThatThrownBy(() -> store.setAllowList(MID, tooMany)).hasMessageContaining("longer than 2000");
            assertThat(store.loadAll().get(0).policy()).isEqualTo(AccessPolicy.DEFAULT);
        }
    }

    @Test
    void aMerchantNeverShowsItsKeys() {
        Merchant m = new Merchant(MID, "Shop", true, "secretkey1", "oldsecret1", NOW);
        assertThat(m.toString()).isEqualTo("Merchant[mid=" + MID + ", name=Shop, enabled=true]");
    }

    @Test
    void aWrongMasterKeyFailsLoadingClearly() {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            new MerchantStore(t.database(), cipher).add(MID, "Shop", "secretkey1");
            MerchantStore other = new MerchantStore(t.database(), new KeyCipher(MasterKey.random()));
            assertThat(other.list()).hasSize(1);
            assertThatThrownBy(other::loadAll).isInstanceOf(KeyCipherException.class)
                    .hasMessageContaining("configured master key").message().doesNotContain("secretkey1");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void theDirectorySeesChangesFromAnotherWriterAndSurvivesOutages(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            MerchantStore store = new MerchantStore(t.database(), cipher);
            store.add(MID, "Shop", "secretkey1");
            try (MerchantDirectory dir = MerchantDirectory.start(store, Duration.ofHours(1))) {
                assertThat(dir.find(MID)).map(Merchant::key).contains("secretkey1");
                assertThat(dir.find(DemoFixture.OTHER_MID)).isEmpty();
                assertThat(dir.refreshNow()).isFalse();

                store.add(DemoFixture.OTHER_MID, "Second", "secretkey2");
                store.setEnabled(MID, false);
                assertThat(dir.find(DemoFixture.OTHER_MID)).as("not before a refresh").isEmpty();
                assertThat(dir.refreshNow()).isTrue();
                assertThat(dir.find(DemoFixture.OTHER_MID)).isPresent();
                assertThat(dir.find(MID)).map(Merchant::enabled).contains(false);

                t.database().close();
                assertThatThrownBy(dir::refreshNow).isInstanceOf(StoreException.class);
                assertThat(dir.find(MID)).as("old data kept").isPresent();
                assertThat(dir.size()).isEqualTo(2);
            }
        }
    }

    @Test
    void theBackgroundRefreshPicksUpChanges() throws Exception {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            MerchantStore store = new MerchantStore(t.database(), cipher);
            try (MerchantDirectory dir = MerchantDirectory.start(store, Duration.ofMillis(50))) {
                assertThat(dir.size()).isZero();
                store.add(MID, "Shop", "secretkey1");
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (dir.find(MID).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(dir.find(MID)).isPresent();
            }
        }
    }
}
