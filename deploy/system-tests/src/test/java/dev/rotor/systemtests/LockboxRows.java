package dev.rotor.systemtests;

import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/** A ToolJet-shaped Lockbox table in a real PostgreSQL database, and the checks a test makes on it. */
final class LockboxRows {
    final String jdbcUrl;
    final String user;
    final String password;
    final Map<String, String> plaintexts = new HashMap<>();

    LockboxRows(String jdbcUrl, String user, String password) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
    }

    static String newHexKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    void seed(String hexKey, int rows) throws SQLException {
        ColumnKey key = key(hexKey);
        try (Connection c = connect()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE credentials (id uuid PRIMARY KEY, value_ciphertext text NOT NULL, "
                        + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO credentials (id, value_ciphertext) VALUES (?, ?)")) {
                for (int i = 0; i < rows; i++) {
                    UUID id = UUID.randomUUID();
                    String plain = "{\"password\":\"row-" + i + "-" + UUID.randomUUID() + "\"}";
                    plaintexts.put(id.toString(), plain);
                    insert.setObject(1, id);
                    insert.setString(2, Codecs.lockbox().encrypt(key, id.toString(), plain.getBytes(StandardCharsets.UTF_8)));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    /** Writes a row as the application would, encrypted under {@code hexKey}: the new plaintext it should hold. */
    void write(String hexKey, String id, String plain) throws SQLException {
        try (Connection c = connect(); PreparedStatement upsert = c.prepareStatement("INSERT INTO credentials (id,"
                + " value_ciphertext) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET value_ciphertext ="
                + " excluded.value_ciphertext, updated_at = now()")) {
            upsert.setObject(1, UUID.fromString(id));
            upsert.setString(2, Codecs.lockbox().encrypt(key(hexKey), id, plain.getBytes(StandardCharsets.UTF_8)));
            upsert.executeUpdate();
        }
        plaintexts.put(id, plain);
    }

    /** A number the test's own SQL returns (the first column of the first row). */
    long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** How many rows decrypt under {@code hexKey} to exactly their original plaintext. */
    int decryptingUnder(String hexKey) throws SQLException {
        ColumnKey key = key(hexKey);
        int ok = 0;
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT id::text, value_ciphertext FROM credentials")) {
            while (r.next()) {
                try {
                    String plain = new String(Codecs.lockbox().decrypt(key, r.getString(1), r.getString(2)),
                            StandardCharsets.UTF_8);
                    if (plain.equals(plaintexts.get(r.getString(1)))) {
                        ok++;
                    }
                } catch (UndecryptableException e) {
                    // not under this key
                }
            }
        }
        return ok;
    }

    private static ColumnKey key(String hex) {
        return Codecs.lockbox().deriveKey(MasterKey.fromHex(1, hex), "credentials", "value");
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }
}
