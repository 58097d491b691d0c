package io.leopard.server.order;

/** What an import did: rows read, and of those how many created, changed, or left an order as it was. */
public record ImportResult(long rowsRead, long inserted, long updated, long unchanged) {

    @Override
    public String toString() {
        return rowsRead + " rows read, " + inserted + " inserted, " + updated + " updated, " + unchanged + " unchanged";
    }
}
