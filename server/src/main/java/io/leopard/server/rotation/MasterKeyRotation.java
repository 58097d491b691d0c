package io.leopard.server.rotation;

import io.leopard.server.channel.ChannelAccounts;
import io.leopard.server.merchant.KeyCipher;
import io.leopard.server.merchant.KeyCipherException;
import io.leopard.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Re-encrypts every stored merchant key (the current one and the one kept from a merchant-key
 * rotation) and every merchant's channel credentials ({@code merchant_channels}) under the current
 * master key, in one transaction: all rows move or none does. Rows
 * already under the current master key are left alone, so running it twice is harmless.
 *
 * <p>The procedure: deploy with the new key as {@code master-key} and the old one as
 * {@code master-key-previous} (servers then decrypt either and encrypt with the new one), run this,
 * then drop {@code master-key-previous}. Rows keep their {@code version}: nothing a running server
 * caches changes, so no server reloads because of it.
 */
public final class MasterKeyRotation {
    private final Database database;
    private final KeyCipher cipher;

    public MasterKeyRotation(Database database, KeyCipher cipher) {
        this.database = database;
        this.cipher = cipher;
    }

    /**
     * What a rotation did.
     *
     * @param channelAccounts            the merchants' channel accounts ({@code merchant_channels} rows)
     * @param channelAccountsReencrypted of those, how many were moved under the current master key
     */
    public record Result(int merchants, int keysReencrypted, int previousKeysReencrypted, int keysAlreadyCurrent,
                         int channelAccounts, int channelAccountsReencrypted) {
    }

    private record Row(String mid, String keyEnc, String prevKeyEnc) {
    }

    /**
     * Re-encrypts every key not yet under the current master key.
     *
     * @throws KeyCipherException when a key cannot be decrypted with either configured master key;
     *                            nothing is written then
     */
    public Result rotate() {
        try (Connection c = database.connection()) {
            c.setAutoCommit(false);
            try {
                Result result = rotate(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw database.failure("master key rotation failed, nothing was changed: " + e.getMessage(), e);
        }
    }

    private Result rotate(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        // FOR UPDATE: a merchant re-keyed meanwhile by another process waits for this transaction
        try (PreparedStatement ps = database.prepare(c, "SELECT mid, key_enc, prev_key_enc FROM merchants ORDER BY mid FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1).trim(), rs.getString(2), rs.getString(3)));
            }
        }
        String current = cipher.currentKeyId();
        int keys = 0;
        int previousKeys = 0;
        int alreadyCurrent = 0;
        try (PreparedStatement update = database.prepare(c, "UPDATE merchants SET key_enc = ?, prev_key_enc = ? WHERE mid = ?")) {
            for (Row row : rows) {
                boolean keyStale = !current.equals(KeyCipher.keyIdOf(row.keyEnc()));
                boolean prevStale = row.prevKeyEnc() != null && !current.equals(KeyCipher.keyIdOf(row.prevKeyEnc()));
                alreadyCurrent += (keyStale ? 0 : 1) + (row.prevKeyEnc() != null && !prevStale ? 1 : 0);
                if (!keyStale && !prevStale) {
                    continue;
                }
                update.setString(1, keyStale ? reencrypt(row.mid(), row.keyEnc()) : row.keyEnc());
                update.setString(2, prevStale ? reencrypt(row.mid(), row.prevKeyEnc()) : row.prevKeyEnc());
                update.setString(3, row.mid());
                update.addBatch();
                keys += keyStale ? 1 : 0;
                previousKeys += prevStale ? 1 : 0;
            }
            update.executeBatch();
        }
        // the channel credentials, bound to channel:<mid>/<name>, in the same transaction
        List<ChannelAccounts.Sealed> accounts = ChannelAccounts.lockAll(database, c);
        int accountsMoved = 0;
        try (PreparedStatement update = database.prepare(c,
                "UPDATE merchant_channels SET secret_enc = ? WHERE mid = ? AND channel = ?")) {
            for (ChannelAccounts.Sealed row : accounts) {
                if (current.equals(KeyCipher.keyIdOf(row.secretEnc()))) {
                    continue;
                }
                String aad = ChannelAccounts.aad(row.mid(), row.channel());
                update.setString(1, cipher.encrypt(aad, cipher.decrypt(aad, row.secretEnc())));
                update.setString(2, row.mid());
                update.setString(3, row.channel());
                update.addBatch();
                accountsMoved++;
            }
            update.executeBatch();
        }
        return new Result(rows.size(), keys, previousKeys, alreadyCurrent, accounts.size(), accountsMoved);
    }

    private String reencrypt(String mid, String stored) {
        return cipher.encrypt(mid, cipher.decrypt(mid, stored));
    }
}
