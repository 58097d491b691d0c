package io.leopard.server.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leopard.server.channel.sandbox.SandboxChannel;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MasterKey;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.rotation.MasterKeyRotation;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseVendor;
import io.leopard.server.testing.TestDatabase;
import io.leopard.server.testing.TestDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChannelAccountsTest {
    private static final String MID = "100000510983456";
    private static final String OTHER = "100000510983457";
    private static final String SECRET = "wx-api-key-0123456789abcdef";

    /** A channel that keeps what it is given, and refuses fields named "bad". */
    static final class Plain implements Channel {
        private final String name;

        Plain(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Map<String, String> checkCredentials(Map<String, String> fields) {
            if (fields.containsKey("bad")) {
                throw new InvalidCredentialsException("bad", "bad is bad");
            }
            return fields;
        }

        @Override
        public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }

    private static ChannelAccounts accounts(Database database, KeyCipher cipher) {
        return new ChannelAccounts(database, cipher,
                new Channels(List.of(new Plain("wechat"), new Plain("alipay"), new SandboxChannel(Clock.systemUTC()))),
                Clock.systemUTC());
    }

    private static List<String> rows(Database database, String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = database.connection();
             PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static void execute(Database database, String sql) {
        try (Connection c = database.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void storesEncryptedAndGivesBackDecrypted(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            KeyCipher cipher = new KeyCipher(MasterKey.random());
            ChannelAccounts accounts = accounts(t.database(), cipher);
            accounts.set(MID, "wechat", Map.of("appId", "wx1", "apiKey", SECRET));
            Optional<ChannelAccounts.Account> wechat = accounts.forOrder(MID, "wechat");
            assertThat(wechat).isPresent();
            assertThat(wechat.get().channel().name()).isEqualTo("wechat");
            assertThat(wechat.get().credentials().fields()).containsExactlyInAnyOrderEntriesOf(Map.of("appId", "wx1", "apiKey", SECRET));
            assertThat(wechat.get().credentials().toString()).doesNotContain(SECRET);
            assertThat(accounts.forOrder(MID, "alipay")).as("no alipay account").isEmpty();
            assertThat(accounts.forOrder(OTHER, "wechat")).isEmpty();
            assertThat(accounts.channelsOf(MID)).containsExactly("wechat");

            List<String> stored = rows(t.database(), "SELECT secret_enc FROM merchant_channels");
            assertThat(stored).hasSize(1);
            assertThat(stored.get(0)).doesNotContain(SECRET).doesNotContain("wx1").doesNotContain("apiKey");

            // a fresh node (no cache) with the same master key reads it; with another key it cannot
            assertThat(accounts(t.database(), cipher).forOrder(MID, "wechat").orElseThrow().credentials().get("apiKey"))
                    .isEqualTo(SECRET);
            assertThat(accounts(t.database(), new KeyCipher(MasterKey.random())).forOrder(MID, "wechat")).isEmpty();

            accounts.set(MID, "wechat", Map.of("appId", "wx2"));
            assertThat(accounts.forOrder(MID, "wechat").orElseThrow().credentials().fields()).isEqualTo(Map.of("appId", "wx2"));
            assertThat(rows(t.database(), "SELECT channel FROM merchant_channels")).containsExactly("wechat");
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void aRowCopiedToAnotherMerchantDoesNotDecrypt(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            KeyCipher cipher = new KeyCipher(MasterKey.random());
            accounts(t.database(), cipher).set(MID, "wechat", Map.of("apiKey", SECRET));
            execute(t.database(), "UPDATE merchant_channels SET mid = '" + OTHER + "'");
            ChannelAccounts fresh = accounts(t.database(), cipher);
            assertThat(fresh.forOrder(OTHER, "wechat")).isEmpty();
            assertThat(fresh.channelsOf(OTHER)).isEmpty();
            assertThat(fresh.forOrder(MID, "wechat")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void aRowCopiedToAnotherChannelDoesNotDecrypt(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            KeyCipher cipher = new KeyCipher(MasterKey.random());
            accounts(t.database(), cipher).set(MID, "wechat", Map.of("apiKey", SECRET));
            execute(t.database(), "UPDATE merchant_channels SET channel = 'alipay'");
            assertThat(accounts(t.database(), cipher).forOrder(MID, "alipay")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void theSandboxAccountWinsOverTheOrdersType(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            ChannelAccounts accounts = accounts(t.database(), new KeyCipher(MasterKey.random()));
            accounts.set(MID, "wechat", Map.of("apiKey", SECRET));
            accounts.set(MID, "sandbox", Map.of("scenario", "paid"));
            for (String type : new String[] {"wechat", "alipay", "unionpay"}) {
                ChannelAccounts.Account a = accounts.forOrder(MID, type).orElseThrow();
                assertThat(a.channel().name()).isEqualTo("sandbox");
                assertThat(a.credentials().fields()).isEqualTo(Map.of("scenario", "paid"));
            }
            assertThat(accounts.channelsOf(MID)).containsExactlyInAnyOrder("wechat", "sandbox");
            assertThat(accounts.remove(MID, "sandbox")).isTrue();
            assertThat(accounts.remove(MID, "sandbox")).as("nothing left to remove").isFalse();
            assertThat(accounts.forOrder(MID, "wechat").orElseThrow().channel().name()).as("at once on this node").isEqualTo("wechat");
            assertThat(accounts.forOrder(MID, "alipay")).isEmpty();
            assertThat(accounts.remove(MID, "wechat")).isTrue();
            assertThat(accounts.forOrder(MID, "wechat")).isEmpty();
            assertThat(rows(t.database(), "SELECT channel FROM merchant_channels")).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseVendor.class, names = "H2")
    void refusesUnknownChannelsAndBadFieldsWithoutStoring(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            ChannelAccounts accounts = accounts(t.database(), new KeyCipher(MasterKey.random()));
            assertThatThrownBy(() -> accounts.set(MID, "paypal", Map.of("k", "v")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("paypal").hasMessageContaining("wechat");
            assertThatThrownBy(() -> accounts.set(MID, "wechat", Map.of("bad", "x")))
                    .isInstanceOfSatisfying(InvalidCredentialsException.class, e -> assertThat(e.field()).isEqualTo("bad"));
            assertThatThrownBy(() -> accounts.set(MID, "sandbox", Map.of("latencyMs", "99999")))
                    .isInstanceOf(InvalidCredentialsException.class);
            assertThat(rows(t.database(), "SELECT channel FROM merchant_channels")).isEmpty();
            assertThat(accounts.channelsOf(MID)).isEmpty();
        }
    }

    /** {@code leopard master-key rotate} re-encrypts channel credentials too: the previous master key can then go. */
    @ParameterizedTest
    @EnumSource(DatabaseVendor.class)
    void credentialsSurviveAMasterKeyRotation(DatabaseVendor vendor) {
        try (TestDatabase t = TestDatabases.create(vendor)) {
            MasterKey oldKey = MasterKey.random();
            MasterKey newKey = MasterKey.random();
            new MerchantStore(t.database(), new KeyCipher(oldKey)).add(MID, "Shop", "keyOfShop1");
            accounts(t.database(), new KeyCipher(oldKey)).set(MID, "wechat", Map.of("apiKey", SECRET));
            new MasterKeyRotation(t.database(), new KeyCipher(newKey, oldKey)).rotate();
            // master-key-previous dropped, as the rotate command says it now can be
            assertThat(accounts(t.database(), new KeyCipher(newKey)).forOrder(MID, "wechat")).isPresent();
        }
    }
}
