package io.leopard.server.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's connections to Redis: one shared command connection (Lettuce multiplexes every
 * request's commands over it) and, when asked, one subscriber connection. Neither is needed to
 * start: when Redis does not answer at start-up the link keeps trying in the background, and
 * {@link #commands()} throws until it is there; once connected, Lettuce reconnects by itself (and
 * resubscribes). While disconnected, commands are refused at once rather than queued, so a request
 * never waits for a reconnect, only, at worst, {@code redis.timeout} for a Redis that is slow.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    /** Between attempts to make the first connection; Lettuce's own reconnects back off the same way. */
    private static final Duration RETRY_FIRST = Duration.ofMillis(100);
    private static final Duration RETRY_MOST = Duration.ofSeconds(2);

    private final RedisSettings settings;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final ScheduledExecutorService retries;
    private volatile StatefulRedisConnection<String, String> connection;
    private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;

    private RedisLink(RedisSettings settings) {
        this.settings = settings;
        this.uri = RedisURI.create(settings.url());
        this.uri.setTimeout(settings.timeout());
        // two threads are plenty for one multiplexed connection and one subscriber
        this.resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(Delay.exponential(RETRY_FIRST, RETRY_MOST, 2, TimeUnit.MILLISECONDS)).build();
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(connectTimeout(settings.timeout())).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
        this.retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "leopard-redis-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /** A connection takes a few round trips: give it more than one command's time, but not a long wait. */
    private static Duration connectTimeout(Duration timeout) {
        Duration tenfold = timeout.multipliedBy(10);
        return tenfold.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : tenfold;
    }

    /** Starts connecting in the background; never throws because Redis is down. */
    public static RedisLink open(RedisSettings settings) {
        if (!settings.enabled()) {
            throw new IllegalArgumentException("redis.url is not set");
        }
        RedisLink link = new RedisLink(settings);
        link.connect(RETRY_FIRST);
        return link;
    }

    private void connect(Duration wait) {
        if (closed) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((c, failure) -> {
            if (failure == null) {
                c.setTimeout(settings.timeout());
                connection = c;
                connected.countDown();
                if (closed) {
                    c.closeAsync();
                }
                LOG.debug("connected to Redis at {}", settings.shownUrl());
            } else if (!closed) {
                Duration next = wait.multipliedBy(2).compareTo(RETRY_MOST) > 0 ? RETRY_MOST : wait.multipliedBy(2);
                retries.schedule(() -> connect(next), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /**
     * The shared command connection's synchronous commands, each limited to {@code redis.timeout}.
     *
     * @throws RedisConnectionException when the first connection has not been made yet
     */
    public RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            throw new RedisConnectionException("not connected to Redis at " + settings.shownUrl() + " yet");
        }
        return c.sync();
    }

    /**
     * A subscriber connection, made in the background (again and again until Redis answers) and
     * handed to {@code ready} once; Lettuce then keeps its subscriptions across reconnects.
     */
    public void subscriber(Consumer<StatefulRedisPubSubConnection<String, String>> ready) {
        subscriber(ready, RETRY_FIRST);
    }

    private void subscriber(Consumer<StatefulRedisPubSubConnection<String, String>> ready, Duration wait) {
        if (closed) {
            return;
        }
        client.connectPubSubAsync(StringCodec.UTF8, uri).whenComplete((c, failure) -> {
            if (failure == null) {
                if (closed) {
                    c.closeAsync();
                } else {
                    ready.accept(c);
                }
            } else if (!closed) {
                Duration next = wait.multipliedBy(2).compareTo(RETRY_MOST) > 0 ? RETRY_MOST : wait.multipliedBy(2);
                retries.schedule(() -> subscriber(ready, next), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Whether the command connection is made and open now. */
    public boolean isConnected() {
        StatefulRedisConnection<String, String> c = connection;
        return c != null && c.isOpen();
    }

    /**
     * Waits up to {@code wait} for the first connection: for a command of the CLI, which makes one
     * change and ends. {@code false} when Redis did not answer in time.
     */
    public boolean awaitConnected(Duration wait) {
        try {
            return connected.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The key (or channel) {@code name} under this cluster's prefix. */
    public String key(String name) {
        return settings.keyPrefix() + name;
    }

    public RedisSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        closed = true;
        retries.shutdownNow();
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
