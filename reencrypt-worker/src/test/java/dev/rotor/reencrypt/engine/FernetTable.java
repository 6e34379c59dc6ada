package dev.rotor.reencrypt.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.FernetCodec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** A Django-style table {@code (id bigint PK, token text)} of Fernet tokens, as django-fernet-fields stores them. */
public final class FernetTable {
    public static final FernetCodec CODEC = Codecs.fernet();
    public static final String COLUMN = "token";

    private FernetTable() {
    }

    public static ColumnKey key(MasterKey master, String table) {
        return CODEC.deriveKey(master, table, COLUMN);
    }

    /**
     * Drops and creates {@code table} with {@code rows} tokens under {@code master}: empty, ASCII, multi-byte UTF-8
     * and binary plaintexts in turn.
     *
     * @return each row's plaintext, in hex
     */
    public static Map<Long, String> create(Connection c, String table, int rows, MasterKey master) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, " + COLUMN + " text)");
        }
        ColumnKey key = key(master, table);
        Map<Long, String> plaintexts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (long id = 1; id <= rows; id++) {
                byte[] plaintext = switch ((int) (id % 4)) {
                    case 0 -> new byte[0];
                    case 1 -> ("user-" + id + "@example.org").getBytes(UTF_8);
                    case 2 -> ("clé 🔑 " + id).getBytes(UTF_8);
                    default -> new byte[(int) id % 97 * 11];
                };
                plaintexts.put(id, HexFormat.of().formatHex(plaintext));
                ps.setLong(1, id);
                // Spread over a year, as an app's rows are, so that a re-encryption that kept no time would show.
                ps.setString(2, CODEC.encryptAtTime(key, plaintext, 1_700_000_000L + id * 45_000));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return plaintexts;
    }

    /** Every row decrypted under {@code master}, in hex; a row that does not decrypt fails the call. */
    public static Map<Long, String> decrypted(Connection c, String table, MasterKey master)
            throws SQLException, UndecryptableException {
        ColumnKey key = key(master, table);
        Map<Long, String> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + COLUMN + " FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getLong(1), HexFormat.of().formatHex(CODEC.decrypt(key, null, rs.getString(2))));
            }
        }
        return out;
    }

    /** Each row's token time (seconds), as Fernet's TTL check reads it. */
    public static Map<Long, Long> timestamps(Connection c, String table) throws SQLException, UndecryptableException {
        Map<Long, Long> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + COLUMN + " FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getLong(1), CODEC.timestampOf(rs.getString(2)));
            }
        }
        return out;
    }

    /** How many rows authenticate under {@code master}. */
    public static long underKey(Connection c, String table, MasterKey master) throws SQLException {
        ColumnKey key = key(master, table);
        long n = 0;
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + COLUMN + " FROM " + table)) {
            while (rs.next()) {
                n += CODEC.isUnder(key, null, rs.getString(1)) ? 1 : 0;
            }
        }
        return n;
    }
}
