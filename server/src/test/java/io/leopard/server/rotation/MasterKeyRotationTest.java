package io.leopard.server.rotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.TestChannels;
import io.leopard.server.demo.DemoFixture;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.KeyCipherException;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.Merchant;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.problem.ConfigException;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Moving every stored merchant key from the previous master key to the current one. */
class MasterKeyRotationTest {
    private static final String A = DemoFixture.MID;
    private static final String B = DemoFixture.OTHER_MID;
    private final MasterKey oldKey = MasterKey.random();
    private final MasterKey newKey = MasterKey.random();

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void reencryptsCurrentAndPreviousKeysUnderTheNewMasterKey(DatabaseVendor vendor) throws SQLException {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            Database db = t.database();
            MerchantStore before = new MerchantStore(db, new KeyCipher(oldKey));
            before.add(A, "Shop A", "keyOfShopA1");
            before.add(B, "Shop B", "keyOfShopB1");
            before.rotateKey(A, "keyOfShopA2", Duration.ofHours(1)); // A keeps its previous merchant key
            Map<String, String[]> stored = rows(db);
            String stamp = before.changeStamp();

            KeyCipher during = new KeyCipher(newKey, oldKey);
            assertThat(new MerchantStore(db, during).loadAll()).hasSize(2); // both keys readable mid-rotation

            MasterKeyRotation.Result result = new MasterKeyRotation(db, during).rotate();
            assertThat(result).isEqualTo(new MasterKeyRotation.Result(2, 2, 1, 0, 0, 0));

            Map<String, String[]> after = rows(db);
            for (String mid : new String[] {A, B}) {
                assertThat(after.get(mid)[0]).isNotEqualTo(stored.get(mid)[0]);
                assertThat(KeyCipher.keyIdOf(after.get(mid)[0])).isEqualTo(newKey.id());
            }
            assertThat(after.get(A)[1]).isNotEqualTo(stored.get(A)[1]);
            assertThat(KeyCipher.keyIdOf(after.get(A)[1])).isEqualTo(newKey.id());
            assertThat(after.get(B)[1]).isNull();

            // the new key alone now reads everything; the old one alone reads nothing
            MerchantStore onlyNew = new MerchantStore(db, new KeyCipher(newKey));
            assertThat(onlyNew.loadAll()).extracting(Merchant::mid, Merchant::key, Merchant::previousKey)
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(A, "keyOfShopA2", "keyOfShopA1"),
                            org.assertj.core.groups.Tuple.tuple(B, "keyOfShopB1", null));
            assertThatThrownBy(() -> new MerchantStore(db, new KeyCipher(oldKey)).loadAll()).isInstanceOf(KeyCipherException.class);
            assertThat(onlyNew.changeStamp()).as("no reload forced on running servers").isEqualTo(stamp);

            // a second run has nothing to do
            assertThat(new MasterKeyRotation(db, new KeyCipher(newKey)).rotate()).isEqualTo(new MasterKeyRotation.Result(2, 0, 0, 3, 0, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void reencryptsChannelAccountsInTheSameRotation(DatabaseVendor vendor) throws SQLException {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            Database db = t.database();
            String wechatKey = "wechatApiKey0123456789abcdefABCD";
            new MerchantStore(db, new KeyCipher(oldKey)).add(A, "Shop A", "keyOfShopA1");
            new MerchantStore(db, new KeyCipher(oldKey)).add(B, "Shop B", "keyOfShopB1");
            accounts(db, new KeyCipher(oldKey)).set(A, "wechat", Map.of("appid", "wx1", "mchId", "1900000109", "key", wechatKey));
            accounts(db, new KeyCipher(oldKey)).set(A, "sandbox", Map.of());
            accounts(db, new KeyCipher(newKey)).set(B, "sandbox", Map.of("scenario", "paid")); // already under the new key
            Map<String, String> before = channelRows(db);

            MasterKeyRotation.Result result = new MasterKeyRotation(db, new KeyCipher(newKey, oldKey)).rotate();
            assertThat(result).isEqualTo(new MasterKeyRotation.Result(2, 2, 0, 0, 3, 2));

            Map<String, String> after = channelRows(db);
            assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
            assertThat(after.get(A + "/wechat")).isNotEqualTo(before.get(A + "/wechat"));
            assertThat(after.get(B + "/sandbox")).as("left alone").isEqualTo(before.get(B + "/sandbox"));
            assertThat(after.values()).allSatisfy(v -> assertThat(KeyCipher.keyIdOf(v)).isEqualTo(newKey.id()));

            // the new master key alone reads every account; the old one alone none
            ChannelAccounts onlyNew = accounts(db, new KeyCipher(newKey));
            assertThat(onlyNew.forOrder(A, "wechat")).isPresent(); // A has a sandbox: it stands in for every type
            assertThat(onlyNew.channelsOf(A)).containsExactlyInAnyOrder("wechat", "sandbox");
            assertThat(onlyNew.channelsOf(B)).containsExactly("sandbox");
            assertThat(onlyNew.remove(A, "sandbox")).isTrue();
            assertThat(onlyNew.forOrder(A, "wechat")).hasValueSatisfying(a ->
                    assertThat(a.credentials().get("key")).isEqualTo(wechatKey));
            assertThat(accounts(db, new KeyCipher(oldKey)).channelsOf(A)).isEmpty();

            assertThat(new MasterKeyRotation(db, new KeyCipher(newKey)).rotate()).isEqualTo(new MasterKeyRotation.Result(2, 0, 0, 2, 2, 0));
        }
    }

    @Test
    void aChannelAccountNeitherMasterKeyReadsStopsTheWholeRotation() throws SQLException {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            Database db = t.database();
            new MerchantStore(db, new KeyCipher(oldKey)).add(A, "Shop A", "keyOfShopA1");
            MasterKey stranger = MasterKey.random();
            accounts(db, new KeyCipher(stranger)).set(A, "sandbox", Map.of("scenario", "paid"));
            Map<String, String[]> merchants = rows(db);
            Map<String, String> channels = channelRows(db);
            assertThatThrownBy(() -> new MasterKeyRotation(db, new KeyCipher(newKey, oldKey)).rotate())
                    .isInstanceOf(KeyCipherException.class).hasMessageContaining(stranger.id());
            assertThat(rows(db)).as("the merchant keys did not move either").usingRecursiveComparison().isEqualTo(merchants);
            assertThat(channelRows(db)).isEqualTo(channels);
        }
    }

    private static ChannelAccounts accounts(Database db, KeyCipher cipher) {
        return new ChannelAccounts(db, cipher, TestChannels.create(), java.time.Clock.systemUTC());
    }

    /** mid/channel → secret_enc as stored. */
    private static Map<String, String> channelRows(Database db) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT mid, channel, secret_enc FROM merchant_channels");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1).trim() + "/" + rs.getString(2), rs.getString(3));
            }
        }
        return out;
    }

    @Test
    void aKeyNeitherMasterKeyReadsStopsTheRotationWithNothingWritten() throws SQLException {
        try (TestDatabase t = TestDatabases.create(DatabaseVendor.H2)) {
            Database db = t.database();
            new MerchantStore(db, new KeyCipher(oldKey)).add(A, "Shop A", "keyOfShopA1");
            new MerchantStore(db, new KeyCipher(newKey)).add(B, "Shop B", "keyOfShopB1");
            MasterKey stranger = MasterKey.random();
            Map<String, String[]> stored = rows(db);
            assertThatThrownBy(() -> new MasterKeyRotation(db, new KeyCipher(stranger, newKey)).rotate())
                    .isInstanceOf(KeyCipherException.class).hasMessageContaining(A).hasMessageContaining(oldKey.id())
                    .message().doesNotContain("keyOfShopA1");
            assertThat(rows(db)).usingRecursiveComparison().isEqualTo(stored);
        }
    }

    @Test
    void cipherDecryptsWithThePreviousKeyButEncryptsWithTheCurrentOne() {
        String underOld = new KeyCipher(oldKey).encrypt(A, "keyOfShopA1");
        KeyCipher both = new KeyCipher(newKey, oldKey);
        assertThat(both.decrypt(A, underOld)).isEqualTo("keyOfShopA1");
        assertThat(KeyCipher.keyIdOf(both.encrypt(A, "keyOfShopA1"))).isEqualTo(newKey.id());
        assertThatThrownBy(() -> new KeyCipher(newKey).decrypt(A, underOld))
                .isInstanceOf(KeyCipherException.class).hasMessageContaining(oldKey.id());
    }

    private static KeySettings rotating(String current, String previous) {
        return new KeySettings(current, Path.of("unused.key"), previous, Duration.ofSeconds(2), false);
    }

    @Test
    void previousKeyComesFromTheConfiguration() {
        String current = MasterKey.generate();
        String previous = MasterKey.generate();
        KeyCipher cipher = KeyCipher.of(rotating(current, previous));
        assertThat(cipher.currentKeyId()).isEqualTo(MasterKey.of(current).id());
        String underPrevious = new KeyCipher(MasterKey.of(previous)).encrypt(A, "keyOfShopA1");
        assertThat(cipher.decrypt(A, underPrevious)).isEqualTo("keyOfShopA1");
        assertThatThrownBy(() -> KeyCipher.of(rotating(current, current)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("same key").message().doesNotContain(current);
        assertThatThrownBy(() -> KeyCipher.of(rotating(current, "c2hvcnQ=")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("master-key-previous");
    }

    /** mid → {key_enc, prev_key_enc} as stored. */
    private static Map<String, String[]> rows(Database db) throws SQLException {
        Map<String, String[]> out = new TreeMap<>();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT mid, key_enc, prev_key_enc FROM merchants");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1).trim(), new String[] {rs.getString(2), rs.getString(3)});
            }
        }
        return out;
    }
}
