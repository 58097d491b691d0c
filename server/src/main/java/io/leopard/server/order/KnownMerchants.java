package io.leopard.server.order;

import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a merchant exists, asked inside the import's transaction (no second pooled connection,
 * which a pool of one could not give) and once per mid: a file of a million orders of one merchant
 * costs one query. An order whose merchant does not exist could never be queried (every query is
 * signed with the merchant's key), so importing it would only hide a mistake in the file.
 */
final class KnownMerchants {
    private final Database database;
    private final Connection connection;
    private final Set<String> known = new HashSet<>();

    KnownMerchants(Database database, Connection connection) {
        this.database = database;
        this.connection = connection;
    }

    /** Whether {@code mid} is a merchant (enabled or not). */
    boolean exists(String mid) throws SQLException {
        if (known.contains(mid)) {
            return true;
        }
        try (PreparedStatement ps = database.prepare(connection, "SELECT 1 FROM merchants WHERE mid = ?")) {
            ps.setString(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
            }
        }
        known.add(mid);
        return true;
    }
}
