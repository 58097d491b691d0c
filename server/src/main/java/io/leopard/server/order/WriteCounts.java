package io.leopard.server.order;

/** What a write did, one count per order written: a new order, a changed one, or no change. */
public record WriteCounts(long inserted, long updated, long unchanged) {

    public static final WriteCounts NONE = new WriteCounts(0, 0, 0);

    public WriteCounts plus(WriteCounts other) {
        return new WriteCounts(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged);
    }

    public long total() {
        return inserted + updated + unchanged;
    }
}
