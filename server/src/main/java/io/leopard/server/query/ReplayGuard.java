package io.leopard.server.query;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Fields;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.protocol.RequestTime;
import io.leopard.server.access.NoiseLedger;
import io.leopard.server.merchant.Merchant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Replay protection for a merchant that has it (PROTOCOL.md 4.3), run after the signature: the
 * request's {@code timestamp} must be within the merchant's window of the server's clock, and its
 * {@code noise} new for this merchant. A merchant without a window is let through untouched.
 *
 * <p>Why a noise is remembered until its timestamp leaves the window, not for the window from the
 * moment it is seen: a request stamped up to a window ahead of the server (a client clock running
 * fast) stays acceptable for up to twice the window, and it must stay refused for as long.
 */
public final class ReplayGuard {
    private final NoiseLedger ledger;
    private final Clock clock;
    private final ZoneId zone;

    /**
     * @param ledger where the noises are remembered: in memory on one node, shared in a cluster
     * @param zone   the platform zone, in which timestamps are written
     */
    public ReplayGuard(NoiseLedger ledger, Clock clock, ZoneId zone) {
        this.ledger = ledger;
        this.clock = clock;
        this.zone = zone;
    }

    /** Passes a request of {@code merchant} whose signature verified, or refuses it as a replay. */
    void check(Merchant merchant, QueryRequest request) throws ProtocolException {
        Duration window = merchant.replayWindow();
        if (window == null) {
            return;
        }
        String text = request.params().get(Fields.TIMESTAMP);
        if (text == null || text.isEmpty()) {
            throw expired("timestamp is required for this merchant (yyyyMMddHHmmss, platform time)");
        }
        Instant sent = RequestTime.parse(text, zone);
        if (sent == null) {
            throw expired("timestamp must be yyyyMMddHHmmss in the platform's time zone (" + zone.getId() + ")");
        }
        Instant now = clock.instant();
        if (!RequestTime.isWithin(sent, now, window)) {
            throw expired("timestamp is more than " + window.toSeconds() + " s from the server's time ("
                    + RequestTime.format(now, zone) + ")");
        }
        // accepted while the server's second is at most sent + window: remembered until that second ends
        Duration remembered = Duration.between(now, sent.plus(window).plusSeconds(1));
        if (!ledger.firstUse(merchant.mid(), request.params().get(Fields.NOISE), remembered)) {
            throw new ProtocolException(ErrorCode.NOISE_REUSED, ErrorCode.NOISE_REUSED.message()
                    + ": this noise was already used; send a new noise with every request");
        }
    }

    private static ProtocolException expired(String why) {
        return new ProtocolException(ErrorCode.TIMESTAMP_EXPIRED, ErrorCode.TIMESTAMP_EXPIRED.message() + ": " + why);
    }
}
