package io.leopard.server.events;

import java.net.URI;

/**
 * The order-event consumer: where the broker is, the queue it reads (dead letters go to
 * {@code queue + ".dead"}), and how many unacknowledged events it holds at most.
 *
 * @param uri the AMQP URI, which may hold a password: never shown by {@link #toString()}
 */
public record EventSettings(String uri, String queue, int prefetch) {
    /** The dead-letter queue of {@code queue}. */
    public String deadLetterQueue() {
        return queue + ".dead";
    }

    /** The URI without its user information, for logs. */
    public String shownUri() {
        try {
            URI u = URI.create(uri);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "")
                    + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(unparseable URI)";
        }
    }

    @Override
    public String toString() {
        return "EventSettings[uri=" + shownUri() + ", queue=" + queue + ", prefetch=" + prefetch + "]";
    }
}
