package dev.rotor.local.demo;

import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * The demo's ToolJet-shaped table: {@code credentials(id uuid, value_ciphertext text)} in Lockbox format under the
 * labels {@code credentials} / {@code value}, as ToolJet stores data-source credentials.
 */
public final class LockboxTable {
    static final String TABLE = "credentials";
    static final String COLUMN = "value";

    private LockboxTable() {
    }

    /** The last non-empty {@code LOCKBOX_MASTER_KEY} of a {@code .env}, as the app reads it; never printed. */
    public static Optional<String> masterKeyIn(Path envFile) throws IOException {
        return Files.readAllLines(envFile).stream().filter(l -> l.startsWith("LOCKBOX_MASTER_KEY="))
                .map(l -> l.substring("LOCKBOX_MASTER_KEY=".length()).replace("\"", "").trim())
                .filter(v -> !v.isEmpty()).reduce((a, b) -> b);
    }

    /** The database a {@code jdbc:postgresql://host:port/db?params} URL names. */
    public static String databaseOf(String jdbcUrl) {
        String path = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    public static Connection connect(String jdbcUrl, String user, String password) throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    static ColumnKey key(String hexMasterKey) {
        ColumnCodec lockbox = Codecs.lockbox();
        return lockbox.deriveKey(MasterKey.fromHex(1, hexMasterKey), TABLE, COLUMN);
    }

    /** Creates the table if needed and fills it up to {@code rows} rows, in batches, plaintext = the row number. */
    public static int seed(Connection c, String hexMasterKey, int rows) throws SQLException {
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
    public static long[] verify(Connection c, String hexMasterKey) throws SQLException {
        ColumnKey key = key(hexMasterKey);
        long ok = 0;
        long total = 0;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor: rows are read in pages, not all into memory at once
        try (Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            ResultSet r = s.executeQuery("SELECT id, value_ciphertext FROM credentials");
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
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
        return new long[] {ok, total};
    }

    /** About 200 bytes of JSON, like a ToolJet data source's credentials. */
    private static byte[] plaintext(int i) {
        return ("{\"password\":\"demo-" + i + "\",\"host\":\"db-" + (i % 7) + ".internal\",\"port\":5432,"
                + "\"username\":\"tooljet_app_" + (i % 13) + "\",\"database\":\"tooljet_production\","
                + "\"ssl_mode\":\"verify-full\",\"connection_options\":[[\"application_name\",\"tooljet\"]]}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
