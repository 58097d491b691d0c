package io.leopard.server.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A token bucket in Redis, refilled and taken from in one atomic script: one round trip a request,
 * and no two nodes can both take the last token.
 *
 * <p>Time is Redis's own ({@code TIME}): every node's bucket refills by one clock, so a node whose
 * clock runs ahead or behind cannot mint or lose tokens, and nothing of the nodes' clocks matters.
 * (Redis 5 and later replicate a script by its effects, so reading the time inside it is allowed.)
 * Tests pass the time in instead ({@code now} in microseconds) to drive the refill by hand.
 *
 * <p>A bucket is a hash {@code {t: last refill in µs, n: tokens}} that expires once it would be full
 * again anyway, so idle merchants and addresses leave nothing behind.
 */
final class BucketScript {
    static final String SOURCE = """
            local rate = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local now = tonumber(ARGV[3])
            if not now then
              local t = redis.call('TIME')
              now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            end
            local state = redis.call('HMGET', KEYS[1], 't', 'n')
            local last = tonumber(state[1])
            local tokens = tonumber(state[2])
            if not last or not tokens then
              last = now
              tokens = burst
            end
            if now > last then
              tokens = math.min(burst, tokens + (now - last) * rate / 1000000)
              last = now
            end
            tokens = math.min(tokens, burst)
            local taken = 0
            if tokens >= 1 then
              tokens = tokens - 1
              taken = 1
            end
            -- numbers as exact text: Redis would turn a Lua number into %.14g, losing microseconds
            redis.call('HSET', KEYS[1], 't', string.format('%.0f', last), 'n', string.format('%.6f', tokens))
            redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
            return taken
            """;

    private volatile String sha;

    /**
     * Takes a token from the bucket at {@code key}: {@code true} when there was one.
     *
     * @param nowMicros the time to refill to, or {@code null} for Redis's own clock
     */
    boolean take(RedisCommands<String, String> redis, String key, int perSecond, int burst, Long nowMicros) {
        String[] args = {Integer.toString(perSecond), Integer.toString(burst), nowMicros == null ? "" : Long.toString(nowMicros)};
        String known = sha;
        if (known == null) {
            known = load(redis);
        }
        Long taken;
        try {
            taken = redis.evalsha(known, ScriptOutputType.INTEGER, new String[] {key}, args);
        } catch (RedisNoScriptException e) {
            // a restarted (or flushed) Redis has forgotten the script: load it again, once
            taken = redis.evalsha(load(redis), ScriptOutputType.INTEGER, new String[] {key}, args);
        }
        return taken != null && taken == 1L;
    }

    private String load(RedisCommands<String, String> redis) {
        String loaded = redis.scriptLoad(SOURCE);
        sha = loaded;
        return loaded;
    }
}
