package io.leopard.server.redis;

import io.leopard.server.access.NoiseLedger;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

/**
 * The replay noises of a cluster, in Redis: {@code SET key NX PX window} records a noise and says
 * whether it was new, in one atomic step, so that a request replayed to another node is caught too.
 * Every noise is also recorded in the node's own ledger ({@code alone}), which answers while Redis
 * is down or slow: a replay of a request this node saw is still caught then, one first sent to
 * another node is not (the price of answering queries while Redis is gone).
 */
public final class RedisNoiseLedger implements NoiseLedger {
    /** A longer noise is hashed: keys stay short, whatever a client sends. */
    private static final int LONGEST_AS_IS = 64;

    private final RedisLink link;
    private final NoiseLedger alone;
    private final RedisOutage outage;

    public RedisNoiseLedger(RedisLink link, NoiseLedger alone, RedisOutage outage) {
        this.link = link;
        this.alone = alone;
        this.outage = outage;
    }

    @Override
    public boolean firstUse(String mid, String noise, Duration window) {
        return outage.decide(() -> {
            boolean first = "OK".equals(link.commands().set(key(mid, noise), "1", SetArgs.Builder.nx().px(window.toMillis())));
            alone.firstUse(mid, noise, window);
            return first;
        }, () -> alone.firstUse(mid, noise, window));
    }

    private String key(String mid, String noise) {
        return link.key("noise:" + mid + ":" + (noise.length() <= LONGEST_AS_IS ? noise : digest(noise)));
    }

    private static String digest(String noise) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(noise.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }
}
