package io.leopard.sdk;

import io.leopard.protocol.Formats;
import io.leopard.protocol.ParamRules;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.Map;

/** Reads typed values out of verified fields; a missing or malformed value fails closed. */
final class FieldReader {
    private final Map<String, String> fields;
    private final String where;

    FieldReader(Map<String, String> fields, String where) {
        this.fields = fields;
        this.where = where;
    }

    String optional(String name) {
        String v = fields.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    String required(String name) {
        String v = optional(name);
        if (v == null) {
            throw new LeopardResponseException(where + ": the answer has no " + name);
        }
        return v;
    }

    BigDecimal amount(String name) {
        String text = required(name);
        BigDecimal amount = Formats.parseAmount(text);
        if (amount == null) {
            throw new LeopardResponseException(where + ": " + name + " \"" + ParamRules.printable(text) + "\" is not an amount");
        }
        return amount;
    }

    LocalDateTime optionalTime(String name) {
        String text = optional(name);
        if (text == null) {
            return null;
        }
        if (Formats.parseTime(text, Formats.DEFAULT_ZONE) == null) {
            throw new LeopardResponseException(where + ": " + name + " \"" + ParamRules.printable(text) + "\" is not yyyyMMddHHmmss");
        }
        return LocalDateTime.parse(text, Formats.TIME);
    }

    LocalDateTime requiredTime(String name) {
        required(name);
        return optionalTime(name);
    }
}
