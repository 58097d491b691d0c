package io.leopard.server.order;

import java.util.ArrayList;
import java.util.List;

/**
 * What an import did: rows read, and of those how many created, changed, or left an order as it
 * was, and how many were skipped as backwards moves (with the first {@link #SHOWN} of them).
 *
 * @param backwardsShown the first backwards moves in file order, at most {@link #SHOWN}
 */
public record ImportResult(long rowsRead, long inserted, long updated, long unchanged, long backwardsSkipped,
                           List<BackwardsMove> backwardsShown) {
    /** How many backwards moves a result lists one by one; an operator reads them, a script counts. */
    public static final int SHOWN = 20;

    public ImportResult {
        backwardsShown = List.copyOf(backwardsShown);
    }

    /** A result without backwards moves. */
    public ImportResult(long rowsRead, long inserted, long updated, long unchanged) {
        this(rowsRead, inserted, updated, unchanged, 0, List.of());
    }

    /** {@code 3 rows read, 1 inserted, 0 updated, 1 unchanged, 1 backwards move skipped} */
    @Override
    public String toString() {
        return rowsRead + " rows read, " + inserted + " inserted, " + updated + " updated, " + unchanged + " unchanged, "
                + backwardsSkipped + (backwardsSkipped == 1 ? " backwards move" : " backwards moves") + " skipped";
    }

    /** One line per backwards move shown, then {@code … and N more} when there were more. */
    public List<String> backwardsLines() {
        List<String> lines = new ArrayList<>();
        backwardsShown.forEach(m -> lines.add(m.toString()));
        if (backwardsSkipped > backwardsShown.size()) {
            lines.add("\u2026 and " + (backwardsSkipped - backwardsShown.size()) + " more");
        }
        return lines;
    }
}
