package io.leopard.server;

import io.leopard.server.access.RateSettings;
import io.leopard.server.channel.ChannelSettings;
import io.leopard.server.events.EventSettings;
import io.leopard.server.notify.NotifySettings;
import io.leopard.server.sync.SyncSettings;
import io.leopard.server.internal.InternalSettings;
import io.leopard.server.merchant.KeySettings;
import io.leopard.server.query.QuerySettings;
import io.leopard.server.redis.RedisSettings;
import io.leopard.server.store.DatabaseSettings;
import io.leopard.server.web.WebSettings;
import java.nio.file.Path;

/**
 * Everything a server is started with, parsed once when the configuration was read (by
 * {@code config.LeopardConfig}): one record per component, and each component is given only its
 * own. No record shows a secret in its {@code toString()}.
 *
 * @param dataDir     where the embedded database, the master key file and the demo folder live
 * @param internal    the internal listener, or {@code null} when no {@code internal.tokens} are set
 * @param events      the order-event consumer, or {@code null} when {@code events.amqp.uri} is not set
 * @param channels    where the payment channels are
 * @param sync        how pending orders are synced with their channels
 * @param notifications how merchants are notified of order changes
 * @param redis       the state the nodes of a cluster share (its URL empty: none, each node alone)
 * @param description the effective configuration for the start-up log, one {@code key=value} a line, secrets masked
 */
public record Settings(Path dataDir, WebSettings web, RateSettings rates, QuerySettings query, DatabaseSettings database,
                       KeySettings keys, ShutdownSettings shutdown, InternalSettings internal,
                       EventSettings events, ChannelSettings channels, SyncSettings sync, NotifySettings notifications,
                       RedisSettings redis, String description) {

    @Override
    public String toString() {
        return "Settings[dataDir=" + dataDir + ", web=" + web + ", rates=" + rates + ", query=" + query + ", database=" + database
                + ", keys=" + keys + ", shutdown=" + shutdown + ", internal=" + internal + ", events=" + events + ", channels=" + channels + ", sync=" + sync + ", notifications=" + notifications + ", redis=" + redis + "]";
    }
}
