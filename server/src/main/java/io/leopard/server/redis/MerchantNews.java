package io.leopard.server.redis;

import io.leopard.server.merchant.MerchantChanges;
import io.leopard.server.merchant.MerchantDirectory;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * News of merchant changes on the Redis channel {@code <prefix>merchants}: the node (or CLI command)
 * that changed a merchant publishes its mid, and every node subscribed reloads its directory at
 * once. The message is the mid only, never a key: the nodes read the change from the database. The
 * periodic {@code merchant-refresh} stays the safety net for news lost while Redis was away; and
 * each time the subscription is made again (after a reconnect) the node reloads too, since it may
 * have missed news meanwhile.
 */
public final class MerchantNews implements MerchantChanges {
    private static final Logger LOG = LoggerFactory.getLogger(MerchantNews.class);
    static final String CHANNEL = "merchants";

    private final RedisLink link;
    private volatile boolean failing;

    private MerchantNews(RedisLink link) {
        this.link = link;
    }

    /** Publishes each change on {@code link}. */
    public static MerchantNews publisher(RedisLink link) {
        return new MerchantNews(link);
    }

    /** Reloads {@code directory} whenever news arrives on {@code link}'s channel, and whenever it (re)subscribes. */
    public static void subscribe(RedisLink link, MerchantDirectory directory) {
        String channel = link.key(CHANNEL);
        link.subscriber(connection -> {
            connection.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String mid) {
                    // on Lettuce's I/O thread: the reload runs on the directory's own
                    directory.refreshSoon();
                }

                @Override
                public void subscribed(String to, long count) {
                    directory.refreshSoon();
                }
            });
            connection.async().subscribe(channel);
        });
    }

    @Override
    public void changed(String mid) {
        try {
            link.commands().publish(link.key(CHANNEL), mid);
            if (failing) {
                failing = false;
                LOG.info("merchant changes are announced on Redis again");
            }
        } catch (RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.warn("merchant {} changed, but Redis did not take the news ({}): the other nodes see it within "
                        + "merchant-refresh", mid, e.toString());
            }
        }
    }
}
