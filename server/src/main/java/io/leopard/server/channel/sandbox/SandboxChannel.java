package io.leopard.server.channel.sandbox;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.leopard.server.channel.CancelReply;
import io.leopard.server.channel.Channel;
import io.leopard.server.channel.ChannelCredentials;
import io.leopard.server.channel.ChannelException;
import io.leopard.server.channel.ChannelOrder;
import io.leopard.server.channel.ChannelReply;
import io.leopard.server.channel.ChannelState;
import io.leopard.server.channel.Channels;
import io.leopard.server.channel.InvalidCredentialsException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A channel that lives in the server, for the demo, merchants' integration tests and ours: its
 * answers follow the order's {@link SandboxScenario}, deterministically, so a merchant can try every
 * outcome (paid after a while, failed, revoked, a channel that times out or lies) without a real
 * payment. Settings ({@code PUT .../channels/sandbox}): {@code scenario}, the default for orders
 * whose number names none; {@code latencyMs}, how long each answer takes (0 to 10000).
 */
public final class SandboxChannel implements Channel {
    private static final int MAX_LATENCY_MS = 10_000;

    private final Clock clock;
    private final Cache<String, AtomicInteger> queries = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofHours(3)).maximumSize(1_000_000).build();

    public SandboxChannel(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return Channels.SANDBOX;
    }

    @Override
    public Map<String, String> checkCredentials(Map<String, String> fields) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : fields.entrySet()) {
            switch (e.getKey()) {
                case "scenario" -> {
                    if (SandboxScenario.parse(e.getValue()) == null) {
                        throw new InvalidCredentialsException("scenario", "scenario must be one of pending, paid, paid<N>s, "
                                + "paid<N>q, fail, closed, revoked, unknown, timeout, garbage, badsign, mismatch");
                    }
                    out.put("scenario", e.getValue().toLowerCase(java.util.Locale.ROOT));
                }
                case "latencyMs" -> {
                    int ms;
                    try {
                        ms = Integer.parseInt(e.getValue());
                    } catch (NumberFormatException x) {
                        ms = -1;
                    }
                    if (ms < 0 || ms > MAX_LATENCY_MS) {
                        throw new InvalidCredentialsException("latencyMs", "latencyMs must be a whole number from 0 to " + MAX_LATENCY_MS);
                    }
                    out.put("latencyMs", Integer.toString(ms));
                }
                default -> throw new InvalidCredentialsException(e.getKey(), "the sandbox takes only scenario and latencyMs");
            }
        }
        return out;
    }

    @Override
    public ChannelReply query(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        SandboxScenario scenario = scenario(order, credentials);
        int asked = queries.get(order.flowNo(), k -> new AtomicInteger()).incrementAndGet();
        answerAfter(latency(credentials), timeout, scenario);
        return answer(order, scenario, asked);
    }

    /** What a query about {@code order} answers, once its latency has been waited. */
    private ChannelReply answer(ChannelOrder order, SandboxScenario scenario, int asked) {
        Instant now = clock.instant();
        return switch (scenario.kind()) {
            case PENDING -> ChannelReply.Known.pending();
            case PAID_AFTER_SECONDS -> !now.isBefore(order.orderTime().plusSeconds(scenario.count()))
                    ? paid(order, order.amount()) : ChannelReply.Known.pending();
            case PAID_AFTER_QUERIES -> asked >= scenario.count() ? paid(order, order.amount()) : ChannelReply.Known.pending();
            case FAIL -> new ChannelReply.Known(ChannelState.FAILED, null, now, null, false);
            case CLOSED -> new ChannelReply.Known(ChannelState.CLOSED, null, null, null, false);
            case REVOKED -> new ChannelReply.Known(ChannelState.REVOKED, tradeNo(order), null, null, false);
            case UNKNOWN -> new ChannelReply.NotKnown("sandbox: no such order");
            case GARBAGE -> throw new ChannelException(ChannelException.Failure.MALFORMED, "sandbox: the answer is not XML");
            case BADSIGN -> throw new ChannelException(ChannelException.Failure.BAD_SIGNATURE, "sandbox: the answer's sign is wrong");
            case MISMATCH -> throw new ChannelException(ChannelException.Failure.MISMATCH, "sandbox: paid "
                    + order.amount().add(BigDecimal.ONE).toPlainString() + " for an order of " + order.amount().toPlainString());
            case TIMEOUT -> throw new IllegalStateException("unreachable: answerAfter threw");
        };
    }

    @Override
    public CancelReply cancel(ChannelOrder order, ChannelCredentials credentials, Duration timeout) {
        SandboxScenario scenario = scenario(order, credentials);
        answerAfter(latency(credentials), timeout, scenario);
        if (scenario.kind() == SandboxScenario.Kind.PAID_AFTER_SECONDS || scenario.kind() == SandboxScenario.Kind.PAID_AFTER_QUERIES) {
            // the latency was waited once already: the whole cancel takes it once, as any call
            int asked = queries.get(order.flowNo(), k -> new AtomicInteger()).incrementAndGet();
            ChannelReply now = answer(order, scenario, asked);
            if (now instanceof ChannelReply.Known k && k.state() == ChannelState.SUCCESS) {
                return new CancelReply(CancelReply.Outcome.PAID, "sandbox: the order is paid");
            }
        }
        return CancelReply.of(order.cardPresent() ? CancelReply.Outcome.REVOKED : CancelReply.Outcome.CLOSED);
    }

    private ChannelReply paid(ChannelOrder order, BigDecimal amount) {
        return new ChannelReply.Known(ChannelState.SUCCESS, tradeNo(order), clock.instant(), amount, false);
    }

    private static String tradeNo(ChannelOrder order) {
        return "SBX" + order.flowNo();
    }

    private static SandboxScenario scenario(ChannelOrder order, ChannelCredentials credentials) {
        return SandboxScenario.of(order.orderNo(), SandboxScenario.parse(credentials.get("scenario")));
    }

    private static int latency(ChannelCredentials credentials) {
        String ms = credentials.get("latencyMs");
        return ms == null ? 0 : Integer.parseInt(ms);
    }

    /** Waits the configured latency, or the whole timeout (then fails) for the timeout scenario. */
    private static void answerAfter(int latencyMs, Duration timeout, SandboxScenario scenario) {
        boolean timesOut = scenario.kind() == SandboxScenario.Kind.TIMEOUT || latencyMs >= timeout.toMillis();
        long waitNanos = timesOut ? timeout.toNanos() : TimeUnit.MILLISECONDS.toNanos(latencyMs);
        long end = System.nanoTime() + waitNanos;
        for (long left = waitNanos; left > 0; left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        if (timesOut) {
            throw new ChannelException(ChannelException.Failure.TIMEOUT, "sandbox: no answer within " + timeout.toMillis() + " ms");
        }
    }
}
