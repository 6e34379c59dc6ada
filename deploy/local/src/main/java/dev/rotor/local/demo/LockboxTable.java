package dev.rotor.local.demo;

import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The demo's ToolJet-shaped table: {@code credentials(id uuid, value_ciphertext text)} in Lockbox format under the
 * labels {@code credentials} / {@code value}, as ToolJet stores data-source credentials.
 */
final class LockboxTable {
    static final String TABLE = "credentials";
    static final String COLUMN = "value";

    private LockboxTable() {
    }

    static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    static ColumnKey key(String hexMasterKey) {
        ColumnCodec lockbox = Codecs.lockbox();
        return lockbox.deriveKey(MasterKey.fromHex(1, hexMasterKey), TABLE, COLUMN);
    }

    /** Creates the table if needed and fills it up to {@code rows} rows, in batches, plaintext = the row number. */
    static int seed(Connection c, String hexMasterKey, int rows) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS credentials (id uuid PRIMARY KEY, value_ciphertext text NOT NULL,"
                    + " created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
            try (ResultSet r = s.executeQuery("SELECT count(*) FROM credentials")) {
                r.next();
                if (r.getInt(1) >= rows) {
                    return 0;
                }
            }
            s.execute("TRUNCATE credentials");
        }
        ColumnKey key = key(hexMasterKey);
        c.setAutoCommit(false);
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO credentials (id, value_ciphertext) VALUES (?, ?)")) {
            for (int i = 1; i <= rows; i++) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, Codecs.lockbox().encrypt(key, id.toString(), plaintext(i)));
                insert.addBatch();
                if (i % 1000 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
        c.commit();
        return rows;
    }

    /** How many rows decrypt under the key; every row is read. */
    static long[] verify(Connection c, String hexMasterKey) throws SQLException {
        ColumnKey key = key(hexMasterKey);
        long ok = 0;
        long total = 0;
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id, value_ciphertext FROM credentials")) {
            while (r.next()) {
                total++;
                try {
                    byte[] plain = Codecs.lockbox().decrypt(key, r.getString(1), r.getString(2));
                    if (new String(plain, StandardCharsets.UTF_8).startsWith("{\"password\":\"demo-")) {
                        ok++;
                    }
                } catch (UndecryptableException e) {
                    // counted as not ok
                }
            }
        }
        return new long[] {ok, total};
    }

    private static byte[] plaintext(int i) {
        return ("{\"password\":\"demo-" + i + "\",\"host\":\"db-" + (i % 7) + ".internal\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
