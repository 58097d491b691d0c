package io.leopard.server.order;

import java.util.Map;

/**
 * One row of an import file: its field values by column name (an absent optional field is
 * missing or empty) and the physical line it starts on.
 */
record ImportRecord(long line, Map<String, String> fields) {
}
