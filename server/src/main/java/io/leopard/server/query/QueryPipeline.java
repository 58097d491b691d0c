package io.leopard.server.query;

import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Formats;
import io.leopard.protocol.ProtocolException;
import io.leopard.protocol.QueryRequest;
import io.leopard.server.access.Limits;
import io.leopard.server.access.MemoryNoiseLedger;
import io.leopard.server.merchant.Merchant;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Map;

/**
 * The protocol's checks and answer for one query, in the order of PROTOCOL §4.1: parameters, sign
 * type, merchant (exists, enabled), allow-list, signature, replay protection (timestamp, noise: only
 * for a merchant that has it), merchant rate; then the signed answer.
 * Knows nothing of HTTP: it takes the parsed parameters and the client's address, and is tested
 * without a socket.
 *
 * <p>Every failure before a good signature costs the client's address, not a merchant: an address
 * over its failure rate is told only {@code FREQUENCY_LIMITED} (no more guessing mids or keys from
 * the answers), while a request that verifies is served whatever its address did before.
 */
public final class QueryPipeline {
    private final QueryService queries;
    private final Limits limits;
    private final int maxBatch;
    private final SignatureDiagnosis diagnosis;
    private final ReplayGuard replay;

    /** With replay protection remembering noises in this process's memory, on the system clock, in the default zone. */
    public QueryPipeline(QueryService queries, Limits limits, int maxBatch) {
        this(queries, limits, maxBatch, new ReplayGuard(new MemoryNoiseLedger(System::nanoTime), Clock.systemUTC(),
                Formats.DEFAULT_ZONE));
    }

    public QueryPipeline(QueryService queries, Limits limits, int maxBatch, ReplayGuard replay) {
        this.queries = queries;
        this.limits = limits;
        this.maxBatch = maxBatch;
        this.diagnosis = new SignatureDiagnosis(queries, limits);
        this.replay = replay;
    }

    /**
     * Answers a signature diagnosis of {@code params}, a request as its merchant sent it, from
     * {@code client}: the same checks in the same order as a query (a merchant without debug is
     * answered as an unknown one), then the signed diagnosis (see {@link SignatureDiagnosis}).
     */
    public QueryOutcome diagnose(Map<String, String> params, InetAddress client) {
        try {
            return diagnosis.run(params, client);
        } catch (ProtocolException e) {
            return refuse(e, client);
        }
    }

    /**
     * Answers {@code params} sent to {@code endpoint} from {@code client}. A database failure is
     * thrown as a {@link io.leopard.server.store.StoreException} (the caller answers SYSTEM_ERROR).
     */
    public QueryOutcome run(Endpoint endpoint, Map<String, String> params, InetAddress client) {
        return run(endpoint, params, client, "-");
    }

    /** As {@link #run(Endpoint, Map, InetAddress)}, naming the request in the logs of channel sync. */
    public QueryOutcome run(Endpoint endpoint, Map<String, String> params, InetAddress client, String requestId) {
        try {
            QueryRequest request = QueryRequest.parse(endpoint, params, maxBatch);
            Merchant merchant = queries.admit(request);
            if (!merchant.policy().allows(client)) {
                throw new ProtocolException(ErrorCode.IP_FORBIDDEN);
            }
            String key = queries.verify(merchant, request);
            // before the rate: a replay never costs the merchant's rate, so replaying cannot starve it
            replay.check(merchant, request);
            if (!limits.tryMerchant(merchant.mid(), merchant.policy())) {
                return new QueryOutcome.Refused(ErrorCode.FREQUENCY_LIMITED, ErrorCode.FREQUENCY_LIMITED.message());
            }
            return new QueryOutcome.Answered(queries.answer(request, key, requestId));
        } catch (ProtocolException e) {
            return refuse(e, client);
        }
    }

    /**
     * The failure to answer for {@code e} from {@code client}, after charging its address. For the
     * HTTP layer's own failures too (404, 405, 413, 415, 400), which keep their status.
     */
    public QueryOutcome.Refused refuse(ProtocolException e, InetAddress client) {
        ErrorCode code = e.code();
        if (code != ErrorCode.FREQUENCY_LIMITED && !limits.chargeFailure(client) && code.httpStatus() == 200) {
            return new QueryOutcome.Refused(ErrorCode.FREQUENCY_LIMITED, ErrorCode.FREQUENCY_LIMITED.message());
        }
        return new QueryOutcome.Refused(code, e.getMessage());
    }
}
