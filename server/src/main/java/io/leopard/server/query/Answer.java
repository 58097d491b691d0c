package io.leopard.server.query;

import io.leopard.protocol.BusinessError;
import io.leopard.protocol.Fields;
import java.util.Map;

/**
 * A signed business answer: every field as the wire writes it ({@link Fields#NUMERIC} ones as
 * JSON numbers), in order, {@code sign} last.
 *
 * @param fields the fields in wire order; never holds an empty or {@code null} value
 * @param resultCode what the access log records: SUCCESS or the business error
 */
public record Answer(Map<String, String> fields, String resultCode) {

    static String resultCodeOf(BusinessError error) {
        return error == null ? Fields.SUCCESS : error.name();
    }
}
