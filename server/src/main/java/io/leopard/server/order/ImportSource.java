package io.leopard.server.order;

import java.util.List;

/** The rows of an import file, read one at a time so a file of any size streams. */
interface ImportSource {
    /** The columns every row has, in the order of {@link Order}'s fields. */
    List<String> COLUMNS = List.of("mid", "orderNo", "flowNo", "tradeNo", "amount", "type", "scene", "state",
            "orderTime", "payTime");

    /** The next row, or {@code null} at the end; blank lines are skipped. */
    ImportRecord next();
}
