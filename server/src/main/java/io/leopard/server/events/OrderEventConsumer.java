package io.leopard.server.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import io.leopard.server.order.OrderWrites;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes order events from RabbitMQ: a durable quorum queue ({@code events.amqp.queue}) and its
 * dead-letter queue ({@code <queue>.dead}), declared if missing; at most {@code events.amqp.prefetch}
 * unacknowledged events at a time, each acknowledged only after its write committed (see
 * {@link EventWorker}). It connects in the background and keeps trying until the broker answers,
 * and after a lost connection the client recovers it (connection, channels, queues, consumer) by
 * itself; {@link #connected()} says whether it is consuming right now, for {@code /readyz}.
 */
public final class OrderEventConsumer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderEventConsumer.class);
    private static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(2);
    private static final Duration DEPTH_EVERY = Duration.ofSeconds(5);

    private final EventSettings settings;
    private final EventMetrics metrics;
    private final BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
    private final EventWorker worker;
    private final AtomicLong generation = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile Connection connection;
    private volatile Channel consuming;
    private Thread connector;
    private Thread workerThread;

    /**
     * @param databaseReachable whether the database answers (a batch it refuses while it answers is taken apart)
     */
    public OrderEventConsumer(EventSettings settings, OrderWrites writes, BooleanSupplier databaseReachable, MeterRegistry registry) {
        this.settings = settings;
        this.metrics = new EventMetrics(registry, settings.queue(), System::currentTimeMillis);
        this.worker = new EventWorker(inbox, writes, new ChannelAcks(), this::deadLetter, metrics, databaseReachable, this::pause);
    }

    /** Starts connecting (in the background) and applying events; returns at once. */
    public OrderEventConsumer start() {
        workerThread = Thread.ofPlatform().name("leopard-events-worker").daemon().start(worker);
        connector = Thread.ofPlatform().name("leopard-events-connector").daemon().start(this::connectAndWatch);
        return this;
    }

    /** Whether the consumer is connected and consuming. */
    public boolean connected() {
        return connected;
    }

    /** Connects until it works, then watches the queue's depth until closed. */
    private void connectAndWatch() {
        Duration wait = Duration.ofSeconds(1);
        boolean told = false;
        while (closing.getCount() > 0) {
            try {
                connect();
                LOG.info("order events: consuming {} on {} (prefetch {})", settings.queue(), settings.shownUri(), settings.prefetch());
                break;
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                closeConnectionQuietly();
                if (!told) {
                    LOG.warn("order events: cannot consume {} on {} yet ({}); trying again in the background",
                            settings.queue(), settings.shownUri(), describe(e));
                    told = true;
                }
                if (!pause(wait)) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10) : wait.multipliedBy(2);
            }
        }
        while (pause(DEPTH_EVERY)) {
            if (cancelled) {
                consumeAgain();
            }
            watchDepth();
        }
    }

    private void connect() throws IOException, java.util.concurrent.TimeoutException {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(settings.uri());
        } catch (java.net.URISyntaxException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("events.amqp.uri is not a usable AMQP URI", e);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(RECOVERY_INTERVAL.toMillis());
        factory.setRequestedHeartbeat(10);
        factory.setConnectionTimeout(5_000);
        factory.setExceptionHandler(new com.rabbitmq.client.impl.DefaultExceptionHandler() {
            @Override
            public void handleTopologyRecoveryException(Connection conn, Channel ch,
                                                        com.rabbitmq.client.TopologyRecoveryException e) {
                // reconnected, but the queues or the consumer were not restored: not consuming
                connected = false;
                cancelled = true;
                LOG.warn("order events: reconnected but could not restore the consumer ({}); consuming again", e.getMessage());
            }
        });
        Connection c = factory.newConnection("leopard-order-events");
        connection = c;
        if (c instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecoveryStarted(Recoverable r) {
                    connected = false;
                    generation.incrementAndGet(); // what came on the lost connection is delivered again
                    inbox.clear();
                    LOG.warn("order events: connection to {} lost; reconnecting", settings.shownUri());
                }

                @Override
                public void handleRecovery(Recoverable r) {
                    connected = !cancelled;
                    LOG.info("order events: reconnected to {}", settings.shownUri());
                }
            });
        }
        c.addShutdownListener(cause -> connected = false);
        declareIfMissing(c, settings.deadLetterQueue(), Map.of("x-queue-type", "quorum"));
        // what the broker itself gives up on (a quorum queue's delivery limit) goes to the same dead-letter queue
        declareIfMissing(c, settings.queue(), Map.of("x-queue-type", "quorum",
                "x-dead-letter-exchange", "", "x-dead-letter-routing-key", settings.deadLetterQueue()));
        Channel dead = c.createChannel();
        deadLetters = new DeadLetters(dead, settings.deadLetterQueue(), settings.queue());
        Channel ch = c.createChannel();
        ch.basicQos(settings.prefetch());
        // the broker may close this channel alone (a consumer timeout, a queue deleted under it): the
        // client's recovery does not reopen it, so the watcher consumes again on a fresh connection
        ch.addShutdownListener(cause -> {
            if (!cause.isHardError() && !cause.isInitiatedByApplication() && closing.getCount() > 0) {
                connected = false;
                cancelled = true;
                LOG.warn("order events: the broker closed the consuming channel ({}); consuming again", cause.getMessage());
            }
        });
        consuming = ch;
        ch.basicConsume(settings.queue(), false, "leopard-" + ProcessHandle.current().pid(),
                (tag, delivery) -> inbox.add(new Received(delivery.getEnvelope().getDeliveryTag(), generation.get(),
                        delivery.getBody(), delivery.getProperties())),
                tag -> {
                    connected = false;
                    cancelled = true;
                    LOG.warn("order events: the broker cancelled the consumer of {} (queue deleted?); consuming again",
                            settings.queue());
                });
        connected = true;
    }

    private volatile DeadLetters deadLetters;
    /** The broker cancelled the consumer (its queue was deleted): the watcher consumes again. */
    private volatile boolean cancelled;

    private boolean deadLetter(Received r, String outcome, String reason) {
        DeadLetters d = deadLetters;
        return d != null && r.generation() == generation.get() && d.put(r.body(), r.properties(), outcome, reason);
    }

    /** Acknowledgements on the consuming channel; a tag of an earlier connection is never sent. */
    private final class ChannelAcks implements EventWorker.Acks {
        @Override
        public boolean current(Received r) {
            return r.generation() == generation.get();
        }

        @Override
        public void ack(Received r) {
            Channel ch = consuming;
            if (ch == null || r.generation() != generation.get()) {
                return;
            }
            try {
                ch.basicAck(r.tag(), false);
            } catch (IOException | AlreadyClosedException e) {
                // the connection is going: the broker delivers this event again, and writing it again changes nothing
            }
        }

        @Override
        public void requeue(Received r) {
            Channel ch = consuming;
            if (ch == null || r.generation() != generation.get()) {
                return;
            }
            try {
                ch.basicNack(r.tag(), false, true);
            } catch (IOException | AlreadyClosedException e) {
                // as above: redelivered anyway
            }
        }
    }

    /**
     * Declares {@code name} with {@code arguments} when it does not exist; an existing queue is used
     * as it is (declaring it again with other arguments would be refused, and it may be an operator's).
     */
    private static void declareIfMissing(Connection c, String name, Map<String, Object> arguments)
            throws IOException, java.util.concurrent.TimeoutException {
        Channel probe = c.createChannel();
        try {
            probe.queueDeclarePassive(name);
            return;
        } catch (IOException missing) {
            // the broker closed the probe channel (404): the queue is to be made
        } finally {
            if (probe.isOpen()) {
                probe.close();
            }
        }
        try (Channel declare = c.createChannel()) {
            declare.queueDeclare(name, true, false, false, arguments);
        }
    }

    /** After a cancel: everything set up again on a fresh connection (the queue is declared anew). */
    private void consumeAgain() {
        cancelled = false;
        closeConnectionQuietly();
        generation.incrementAndGet();
        inbox.clear();
        try {
            connect();
            LOG.info("order events: consuming {} again", settings.queue());
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            closeConnectionQuietly();
            cancelled = true; // tried again at the next round
        }
    }

    private void watchDepth() {
        Connection c = connection;
        if (c == null || !connected) {
            metrics.depth(-1);
            return;
        }
        try (Channel ch = c.createChannel()) {
            AMQP.Queue.DeclareOk ok = ch.queueDeclarePassive(settings.queue());
            metrics.depth(ok.getMessageCount());
        } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
            metrics.depth(-1);
        }
    }

    /** Waits {@code d}; false when closing. */
    private boolean pause(Duration d) {
        try {
            return !closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        Throwable cause = e.getCause();
        if ((m == null || m.isBlank()) && cause != null) {
            m = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private void closeConnectionQuietly() {
        Connection c = connection;
        connection = null;
        consuming = null;
        connected = false;
        if (c != null) {
            try {
                c.abort(2_000);
            } catch (RuntimeException ignored) {
                // nothing more to do
            }
        }
    }

    /**
     * Stops taking events: the batch being written is finished (at most a few seconds), and what was
     * not acknowledged is delivered again by the broker to whoever consumes next.
     */
    @Override
    public void close() {
        closing.countDown();
        worker.stop();
        try {
            if (workerThread != null) {
                workerThread.join(5_000);
            }
            if (connector != null) {
                connector.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Connection c = connection;
        connection = null;
        connected = false;
        if (c != null) {
            try {
                c.close(2_000);
            } catch (IOException | RuntimeException e) {
                c.abort(1_000);
            }
        }
    }
}
