package io.leopard.server.cli;

import io.leopard.server.Settings;
import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.channel.Channels;
import io.leopard.server.cli.EmbeddedDatabaseGuard.Need;
import io.leopard.server.config.LeopardConfig;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.MerchantStore;
import io.leopard.server.order.OrderImporter;
import io.leopard.server.order.OrderStore;
import io.leopard.server.redis.MerchantNews;
import io.leopard.server.redis.RedisLink;
import io.leopard.server.store.Database;
import java.time.Clock;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What an admin command works on: the configured database, opened once, when first needed, and
 * the pieces built on it (merchant store, order store and importer, key cipher), each built once
 * when asked for. Every admin command opens one in a try-with-resources; closing it closes the
 * database, if it was opened. Before anything is opened, {@link EmbeddedDatabaseGuard} checks that
 * the command may go on.
 */
final class AdminSession implements AutoCloseable {
    private final Settings settings;
    private Database database;
    private KeyCipher cipher;
    private MerchantStore merchants;
    private OrderStore orders;
    /** How long a command waits for Redis to announce its change; the nodes' own refresh brings it anyway. */
    private static final java.time.Duration ANNOUNCE_WAIT = java.time.Duration.ofSeconds(2);
    private RedisLink redis;

    /**
     * A session on {@code config}'s database for the command {@code spec}, which needs it as
     * {@code need} says; throws, with one line saying what to do instead, when it should not go on.
     */
    AdminSession(LeopardConfig config, CommandSpec spec, Need need) {
        this.settings = config.settings();
        EmbeddedDatabaseGuard.check(settings.database(), spec, need);
    }

    /** The database, opened on first use. */
    Database database() {
        if (database == null) {
            database = Database.open(settings.database());
        }
        return database;
    }

    /** The cipher of the configured master key (and {@code master-key-previous}, during a rotation). */
    KeyCipher cipher() {
        if (cipher == null) {
            cipher = KeyCipher.of(settings.keys());
        }
        return cipher;
    }

    MerchantStore merchants() {
        if (merchants == null) {
            merchants = new MerchantStore(database(), cipher(), Clock.systemUTC(), this::announce);
        }
        return merchants;
    }

    /**
     * Tells the running nodes of a change this command made in the database, through Redis when
     * {@code redis.url} is set, so that they reload at once (else at their next merchant-refresh).
     * The link is opened on the first change only: most commands change nothing.
     */
    private void announce(String mid) {
        if (!settings.redis().enabled()) {
            return;
        }
        if (redis == null) {
            redis = RedisLink.open(settings.redis());
            redis.awaitConnected(ANNOUNCE_WAIT);
        }
        MerchantNews.publisher(redis).changed(mid);
    }

    /** The merchants' channel accounts, checked by {@code channels}. */
    ChannelAccounts channelAccounts(Channels channels) {
        return new ChannelAccounts(database(), cipher(), channels, Clock.systemUTC());
    }

    OrderStore orders() {
        if (orders == null) {
            orders = new OrderStore(database());
        }
        return orders;
    }

    /** An importer into {@link #orders()}, reading times in the configured zone. */
    OrderImporter importer() {
        return new OrderImporter(orders(), settings.query().zone());
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
