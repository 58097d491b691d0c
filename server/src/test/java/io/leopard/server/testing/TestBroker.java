package io.leopard.server.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's RabbitMQ (127.0.0.1:5672, guest/guest) for one test: a queue name of its own
 * (and its dead-letter queue), deleted by {@link #close()}. When the broker does not answer, the
 * test is skipped with a message, except under CI ({@code CI=true}), where it fails.
 */
public final class TestBroker implements AutoCloseable {
    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5672;

    private final Connection connection;
    private final Channel channel;
    private final String queue = "leopard-test-" + UUID.randomUUID().toString().substring(0, 8);

    private TestBroker(Connection connection) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
    }

    /** Connects to the broker, or skips (fails under CI) when it does not answer. */
    public static TestBroker connect() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(HOST);
        f.setPort(PORT);
        f.setConnectionTimeout(3_000);
        try {
            return new TestBroker(f.newConnection("leopard-test"));
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("RabbitMQ at " + HOST + ":" + PORT + " is required under CI: " + e, e);
            }
            Assumptions.abort("skipped: RabbitMQ at " + HOST + ":" + PORT + " does not answer (" + e + ")");
            throw new IllegalStateException("unreachable");
        }
    }

    /** This test's queue (the consumer declares it, and {@code queue + ".dead"}). */
    public String queue() {
        return queue;
    }

    /** The URI of the broker, through {@code port} (a proxy's) when given. */
    public static String uri(int port) {
        return "amqp://guest:guest@" + HOST + ":" + port;
    }

    public String uri() {
        return uri(PORT);
    }

    /** Publishes {@code body} to the queue, persistent, with a timestamp. */
    public void publish(String body) throws IOException {
        publish(body.getBytes(StandardCharsets.UTF_8));
    }

    public void publish(byte[] body) throws IOException {
        channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json")
                .timestamp(new Date()).build(), body);
    }

    /**
     * Messages ready in {@code name} (not delivered, or delivered and given back); -1 when there is
     * no such queue. Asked on a channel of its own: the broker closes the channel that asks about a
     * missing queue.
     */
    public long ready(String name) throws IOException {
        Channel probe = connection.createChannel();
        try {
            return probe.queueDeclarePassive(name).getMessageCount();
        } catch (IOException missing) {
            return -1;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (java.util.concurrent.TimeoutException | IOException ignored) {
                    // closed with the connection anyway
                }
            }
        }
    }

    /** Deletes {@code name} (a test of a queue deleted under the consumer). */
    public void delete(String name) throws IOException {
        channel.queueDelete(name);
    }

    /** Takes the next message of {@code name}, or {@code null}. */
    public GetResponse take(String name) throws IOException {
        return channel.basicGet(name, true);
    }

    @Override
    public void close() throws IOException {
        try {
            channel.queueDelete(queue);
            channel.queueDelete(queue + ".dead");
        } finally {
            try {
                connection.close();
            } catch (IOException | RuntimeException ignored) {
                // the broker may be gone already
            }
        }
    }
}
