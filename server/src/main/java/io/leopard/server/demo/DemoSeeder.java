package io.leopard.server.demo;

import io.leopard.protocol.OrderState;
import io.leopard.server.Settings;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.sandbox.SandboxChannel;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.merchant.Merchants;
import io.leopard.server.order.Order;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.order.OrderWrites;
import io.leopard.server.order.Scene;
import io.leopard.server.order.WriteSource;
import io.leopard.server.store.Database;
import io.leopard.server.store.DatabaseSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Puts the demo fixture into a fresh embedded database: used by {@code leopard demo} and the tests. */
public final class DemoSeeder {
    private DemoSeeder() {
    }

    /**
     * The configuration of a throw-away demo (tests): an embedded database in {@code dataDir} and a
     * master key held in memory (the demo keys are public anyway), on top of {@code base}. The
     * {@code leopard demo} command keeps its database for reuse, so it writes the key to a file
     * instead ({@link DemoFolder#config}).
     */
    public static LeopardConfig demoConfig(LeopardConfig base, Path dataDir) {
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        return base.with("data-dir", dataDir.toString())
                .with("db.url", "")
                .with("master-key", Base64.getEncoder().encodeToString(masterKey));
    }

    /** Adds the demo merchants and imports the demo orders into the database {@code settings} name. */
    public static void seed(Settings settings) {
        seed(settings.database(), settings.keys(), settings.query().zone());
    }

    /**
     * Makes the demo live, as {@code leopard demo} does just before it starts serving: the orders of
     * {@link DemoFixture#LIVE_MID} sync with the sandbox channel, and {@link DemoFixture#LIVE_ORDER_NO}, a
     * card-present order written now as the platform's core would, settles paid
     * {@value DemoFixture#LIVE_SETTLES_AFTER_SECONDS} s from now. Imported fixture orders without a
     * sandbox suffix stay as they are (the sandbox says "pending" for them).
     */
    public static void goLive(Settings settings, Clock clock) {
        try (Database database = Database.open(settings.database())) {
            ChannelAccounts accounts = new ChannelAccounts(database, KeyCipher.of(settings.keys()),
                    new Channels(List.of(new SandboxChannel(clock))), clock);
            accounts.set(DemoFixture.LIVE_MID, Channels.SANDBOX, Map.of());
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Order live = new Order(DemoFixture.LIVE_MID, DemoFixture.LIVE_ORDER_NO,
                    "LIVE" + DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(now),
                    null, new BigDecimal("18.80"), "wechat", Scene.BRUSHCARD, OrderState.INIT, now, null);
            new OrderWrites(database, settings.query().zone(), clock, new SimpleMeterRegistry())
                    .apply(List.of(live), WriteSource.API);
        }
    }

    /**
     * Adds the demo merchants, with their keys encrypted as {@code keys} says, and imports the demo
     * orders, whose times are in {@code zone}.
     */
    public static void seed(DatabaseSettings databaseSettings, KeySettings keys, ZoneId zone) {
        try (Database database = Database.open(databaseSettings)) {
            MerchantStore merchants = Merchants.store(keys, database);
            for (DemoFixture.DemoMerchant m : DemoFixture.MERCHANTS) {
                merchants.add(m.mid(), m.name(), m.key());
                merchants.setDebug(m.mid(), true); // published keys: the demo merchants are sandbox ones
                if (!m.enabled()) {
                    merchants.setEnabled(m.mid(), false);
                }
            }
            OrderImporter importer = new OrderImporter(new OrderStore(database), zone);
            try (InputStream in = DemoSeeder.class.getResourceAsStream(DemoFixture.ORDERS_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the demo fixture " + DemoFixture.ORDERS_RESOURCE + " is missing from the jar");
                }
                importer.importFrom(in, OrderImporter.Format.CSV);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
