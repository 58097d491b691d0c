package io.leopard.server.web;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.leopard.protocol.Endpoint;
import io.leopard.protocol.ParamRules;
import io.leopard.protocol.ProtocolException;
import io.leopard.server.query.JsonWriter;
import io.leopard.server.query.QueryOutcome;
import io.leopard.server.query.QueryPipeline;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /query/single}, {@code /query/multi} and {@code /query/brushcard}: the HTTP side of
 * a query (body size 413, media type 415, body 400), then the {@link QueryPipeline} for the rest
 * of PROTOCOL §4.1 and the signed answer. {@code POST /query/diagnose} (PROTOCOL §7) reads its body
 * the same way: it is a query's body, as the merchant sent it.
 */
final class QueryEndpoints implements Endpoints {
    /** The signature diagnosis, for merchants with debug on. */
    static final String DIAGNOSE = "/query/diagnose";

    private final QueryPipeline pipeline;
    private final int maxBodyBytes;

    QueryEndpoints(QueryPipeline pipeline, int maxBodyBytes) {
        this.pipeline = pipeline;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        for (Endpoint endpoint : Endpoint.values()) {
            rules.post(endpoint.path(), (req, res) -> answer(endpoint.path(), req, res,
                    (params, exchange) -> pipeline.run(endpoint, params, exchange.client(), exchange.requestId())));
        }
        rules.post(DIAGNOSE, (req, res) -> answer(DIAGNOSE, req, res,
                (params, exchange) -> pipeline.diagnose(params, exchange.client())));
    }

    @Override
    public Map<String, Allowed> paths() {
        Map<String, Allowed> paths = new LinkedHashMap<>();
        for (Endpoint endpoint : Endpoint.values()) {
            paths.put(endpoint.path(), Allowed.POST);
        }
        paths.put(DIAGNOSE, Allowed.POST);
        return paths;
    }

    /** What answers the parsed parameters of one endpoint. */
    private interface Answering {
        QueryOutcome answer(Map<String, String> params, Exchange exchange);
    }

    private void answer(String path, ServerRequest req, ServerResponse res, Answering answering) throws ProtocolException {
        Exchange exchange = Exchange.of(req);
        exchange.metricName(path);
        exchange.readingBody();
        byte[] body = BodyReader.read(req, maxBodyBytes);
        // only now is the request in: while its body trickles, the connection stays one that is
        // still sending (timed from its first byte, and made room from under pressure)
        exchange.processing();
        MediaType type = MediaType.parse(req.headers().first(HeaderNames.CONTENT_TYPE).orElse(null));
        Map<String, String> params = BodyParser.parse(body, type);
        String mid = params.get("mid");
        exchange.mid(ParamRules.isMid(mid) ? mid : null);
        switch (answering.answer(params, exchange)) {
            case QueryOutcome.Answered answered -> {
                exchange.trusted();
                exchange.outcome(answered.answer().resultCode(), 200);
                Replies.send(req, res, 200, JsonWriter.object(answered.answer().fields()));
            }
            case QueryOutcome.Refused refused -> {
                exchange.refused(refused);
                Replies.failure(req, res, refused.code(), refused.message());
            }
        }
    }
}
