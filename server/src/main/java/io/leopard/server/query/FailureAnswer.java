package io.leopard.server.query;

import io.leopard.protocol.ErrorCode;
import io.leopard.protocol.Fields;
import java.util.LinkedHashMap;
import java.util.Map;

/** The protocol's unsigned failure answer (PROTOCOL §4.1), whatever layer gives it. */
public final class FailureAnswer {
    private FailureAnswer() {
    }

    /**
     * {@code code}, {@code msg}, {@code errCode}, and {@code errCodeDes} with the same text as
     * {@code msg}: merchant code written for the published document reads {@code errCodeDes}
     * whenever {@code code} is not SUCCESS.
     */
    public static byte[] body(ErrorCode code, String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(Fields.CODE, Fields.FAIL);
        fields.put(Fields.MSG, message);
        fields.put(Fields.ERR_CODE, code.name());
        fields.put(Fields.ERR_CODE_DES, message);
        return JsonWriter.object(fields);
    }
}
