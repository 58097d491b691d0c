package io.leopard.server.events;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ReturnListener;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Puts an event that cannot be applied into the dead-letter queue, as it came (body and
 * properties), with why in its headers: {@code x-leopard-reason} (one line) and
 * {@code x-leopard-outcome} (invalid, conflict, unknown_merchant, malformed, too_large, refused).
 * It returns only once the broker has confirmed the copy, so the original may be acknowledged
 * then and the event is never lost.
 */
final class DeadLetters {
    static final String REASON = "x-leopard-reason";
    static final String OUTCOME = "x-leopard-outcome";
    static final String FROM_QUEUE = "x-leopard-queue";
    private static final long CONFIRM_MILLIS = 5_000;
    private static final int MAX_REASON = 500;

    private final Channel channel;
    private final String queue;
    private final String from;
    /** Set by the broker's basic.return: the copy reached no queue (the dead-letter queue was deleted). */
    private volatile boolean returned;

    /**
     * {@code channel} is this class's own, put in confirm mode. Copies are published mandatory: a
     * copy that reaches no queue is confirmed all the same, and only the return says it was dropped.
     */
    DeadLetters(Channel channel, String queue, String from) throws IOException {
        this.channel = channel;
        this.queue = queue;
        this.from = from;
        channel.confirmSelect();
        channel.addReturnListener((ReturnListener) (code, text, exchange, routingKey, props, body) -> returned = true);
    }

    /** Publishes the copy and waits for its confirm; false when the broker did not confirm it. */
    boolean put(byte[] body, AMQP.BasicProperties properties, String outcome, String reason) {
        Map<String, Object> headers = new HashMap<>();
        if (properties != null && properties.getHeaders() != null) {
            headers.putAll(properties.getHeaders());
        }
        headers.put(REASON, oneLine(reason));
        headers.put(OUTCOME, outcome);
        headers.put(FROM_QUEUE, from);
        AMQP.BasicProperties copy = (properties == null ? new AMQP.BasicProperties.Builder() : properties.builder())
                .headers(headers).deliveryMode(2).build();
        try {
            returned = false;
            channel.basicPublish("", queue, true, copy, body == null ? new byte[0] : body);
            // a return comes before the confirm of the same message
            boolean confirmed = channel.waitForConfirms(CONFIRM_MILLIS);
            if (returned) {
                // someone deleted the dead-letter queue: make it again; this copy is given back to the caller
                channel.queueDeclare(queue, true, false, false, java.util.Map.of("x-queue-type", "quorum"));
                return false;
            }
            return confirmed;
        } catch (IOException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String oneLine(String reason) {
        String r = reason == null ? "" : reason.replaceAll("[\\r\\n\\t]+", " ");
        return r.length() > MAX_REASON ? r.substring(0, MAX_REASON) + "..." : r;
    }
}
