package io.leopard.server.http;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Fields;
import io.leopard.server.query.JsonWriter;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Header;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes answers: the only place that turns a failure into a response body. */
final class Replies {
    static final Header JSON_UTF8 = HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "application/json; charset=UTF-8");
    static final Header ALLOW_POST = HeaderValues.createCached(HeaderNames.ALLOW, "POST");
    static final Header ALLOW_GET = HeaderValues.createCached(HeaderNames.ALLOW, "GET, HEAD");
    static final Header NO_STORE = HeaderValues.createCached(HeaderNames.CACHE_CONTROL, "no-store");

    private Replies() {
    }

    /**
     * The unsigned protocol failure body: {@code code}, {@code msg}, {@code errCode}, and
     * {@code errCodeDes} with the same text as {@code msg}: merchant code written for the published
     * document reads {@code errCodeDes} whenever {@code code} is not SUCCESS (PROTOCOL §4.1).
     */
    static byte[] failureBody(ErrorCode code, String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(Fields.CODE, Fields.FAIL);
        fields.put(Fields.MSG, message);
        fields.put(Fields.ERR_CODE, code.name());
        fields.put(Fields.ERR_CODE_DES, message);
        return JsonWriter.object(fields);
    }

    static void failure(ServerResponse res, ErrorCode code, String message) {
        send(res, code.httpStatus(), failureBody(code, message));
    }

    static void send(ServerResponse res, int status, byte[] body) {
        res.status(Status.create(status));
        res.header(JSON_UTF8);
        res.header(NO_STORE);
        res.send(body);
    }
}
