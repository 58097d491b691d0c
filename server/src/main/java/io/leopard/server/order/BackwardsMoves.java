package io.leopard.server.order;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells backwards moves from replayed history among the rows an import skipped as older snapshots
 * of their order ({@link OrderMerge}).
 *
 * <p>Re-importing a file that holds several states of one order (INIT, then SUCCESS, then REVOKED)
 * meets its INIT and SUCCESS rows with REVOKED already stored: skipped, but the file's own later
 * row brings the order back to what is stored, so they are history, and count as unchanged. A
 * skipped row that no later row of its order in the file follows is the file saying the order ends
 * in an earlier state than it has: a backwards move. Rows wait here until a later row of their
 * order settles them or the file ends, so only skipped rows are ever held.
 */
final class BackwardsMoves {
    /** Skipped rows not yet followed by a row of their order, by flowNo. */
    private final Map<String, List<BackwardsMove>> pending = new HashMap<>();

    /** A row skipped as an older snapshot of the order {@code flowNo}. */
    void skipped(String flowNo, BackwardsMove move) {
        pending.computeIfAbsent(flowNo, f -> new ArrayList<>(1)).add(move);
    }

    /** A row of {@code flowNo} that was written or matched the store: earlier skipped rows were history. */
    void settled(String flowNo) {
        if (!pending.isEmpty()) {
            pending.remove(flowNo);
        }
    }

    /** At the end of the file: the backwards moves, in file order. */
    List<BackwardsMove> moves() {
        List<BackwardsMove> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        all.sort(Comparator.comparingLong(BackwardsMove::line));
        return all;
    }
}
