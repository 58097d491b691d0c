package io.leopard.server.channel;

import java.util.Map;
import java.util.Objects;

/**
 * One merchant's credentials for one channel, decrypted, as {@link Channel#checkCredentials}
 * normalized them. {@link #toString()} shows no value: credentials are never logged.
 */
public final class ChannelCredentials {
    private final String channel;
    private final Map<String, String> fields;

    public ChannelCredentials(String channel, Map<String, String> fields) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.fields = Map.copyOf(fields);
    }

    public String channel() {
        return channel;
    }

    /** The field's value, {@code null} when not set. */
    public String get(String field) {
        return fields.get(field);
    }

    /** The field's value. */
    public String require(String field) {
        String value = fields.get(field);
        if (value == null || value.isEmpty()) {
            throw new ChannelException(ChannelException.Failure.NOT_CONFIGURED, channel + " credentials have no " + field);
        }
        return value;
    }

    public Map<String, String> fields() {
        return fields;
    }

    @Override
    public String toString() {
        return "ChannelCredentials[" + channel + ", fields=" + fields.keySet() + "]";
    }
}
