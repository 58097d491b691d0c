package io.leopard.server.order;

import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a merchant exists, asked inside the import's transaction (no second pooled connection,
 * which a pool of one could not give) and once per mid: a file of a million orders of one merchant
 * costs one query. An order whose merchant does not exist could never be queried (every query is
 * signed with the merchant's key), so importing it would only hide a mistake in the file.
 */
final class KnownMerchants {
    private final Database database;
    private final Connection connection;
    /** mid → its notify URL (empty: none), for the merchants found so far. */
    private final Map<String, Optional<String>> known = new HashMap<>();

    KnownMerchants(Database database, Connection connection) {
        this.database = database;
        this.connection = connection;
    }

    /** Whether {@code mid} is a merchant (enabled or not). */
    boolean exists(String mid) throws SQLException {
        return lookUp(mid) != null;
    }

    /** Where the merchant's notifications go, as this transaction sees it; empty when nowhere (or no such merchant). */
    Optional<String> notifyUrl(String mid) throws SQLException {
        Optional<String> url = lookUp(mid);
        return url == null ? Optional.empty() : url;
    }

    /** The merchant's notify URL (empty: none), {@code null} when there is no such merchant. */
    private Optional<String> lookUp(String mid) throws SQLException {
        Optional<String> cached = known.get(mid);
        if (cached != null) {
            return cached;
        }
        try (PreparedStatement ps = database.prepare(connection, "SELECT notify_url FROM merchants WHERE mid = ?")) {
            ps.setString(1, mid);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Optional<String> url = Optional.ofNullable(rs.getString(1));
                known.put(mid, url);
                return url;
            }
        }
    }
}
