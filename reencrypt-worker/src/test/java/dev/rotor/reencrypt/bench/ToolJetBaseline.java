package dev.rotor.reencrypt.bench;

import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * (a) What the vendor's script does: one transaction, every row loaded, then per row one SELECT by id and one
 * {@code UPDATE … RETURNING}, with the column key derived on every call.
 */
final class ToolJetBaseline {
    private ToolJetBaseline() {
    }

    static long run(Connection c, String table, int limit, MasterKey from, MasterKey to)
            throws SQLException, UndecryptableException {
        c.setAutoCommit(false);
        List<String> ids = new ArrayList<>();
        try (PreparedStatement all = c.prepareStatement("SELECT id::text FROM " + table + " ORDER BY id LIMIT ?")) {
            all.setInt(1, limit);
            try (ResultSet rs = all.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        try (PreparedStatement select = c.prepareStatement("SELECT value_ciphertext FROM " + table
                + " WHERE id = ?::uuid");
                PreparedStatement update = c.prepareStatement("UPDATE " + table + " SET value_ciphertext = ?, "
                        + "updated_at = now() WHERE id = ?::uuid RETURNING id")) {
            for (String id : ids) {
                select.setString(1, id);
                String stored;
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    stored = rs.getString(1);
                }
                ColumnKey oldKey = LockboxTable.key(from, table); // derived per call, as the script does
                ColumnKey newKey = LockboxTable.key(to, table);
                byte[] plain = LockboxTable.CODEC.decrypt(oldKey, id, stored);
                update.setString(1, LockboxTable.CODEC.encrypt(newKey, id, plain));
                update.setString(2, id);
                try (ResultSet rs = update.executeQuery()) {
                    rs.next();
                }
            }
        }
        c.commit();
        return ids.size();
    }
}
