package io.leopard.server.channel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The channel adapters a server knows, by name. */
public final class Channels {
    /** The channel that stands in for every order type of a merchant set to it. */
    public static final String SANDBOX = "sandbox";

    private final Map<String, Channel> byName = new LinkedHashMap<>();

    public Channels(Iterable<? extends Channel> channels) {
        for (Channel c : channels) {
            if (byName.putIfAbsent(c.name(), c) != null) {
                throw new IllegalArgumentException("two channels named " + c.name());
            }
        }
    }

    public Optional<Channel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
