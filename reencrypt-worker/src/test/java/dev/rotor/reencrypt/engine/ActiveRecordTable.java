package dev.rotor.reencrypt.engine;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.rotor.contracts.cipher.ActiveRecordCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A Rails-style table {@code (id bigint PK, <column> text)} of Active Record encryption messages, as {@code encrypts
 * :name} stores them.
 */
public final class ActiveRecordTable {
    public static final String COLUMN = "name";

    private ActiveRecordTable() {
    }

    public static ColumnKey key(ActiveRecordCodec codec, MasterKey master, String table) {
        return codec.deriveKey(master, table, COLUMN);
    }

    /**
     * Drops and creates {@code table}: row 1 holds {@code first} as given (a value Rails wrote), the others values
     * this codec writes under {@code master}: empty, short ASCII, multi-byte UTF-8, and texts long enough to be
     * compressed, in turn.
     *
     * @return each row's plaintext; row 1's is {@code firstPlaintext}
     */
    public static Map<Long, String> create(Connection c, String table, int rows, ActiveRecordCodec codec,
            MasterKey master, String first, String firstPlaintext) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id bigint PRIMARY KEY, " + COLUMN + " text)");
        }
        ColumnKey key = key(codec, master, table);
        Map<Long, String> plaintexts = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?)")) {
            for (long id = 1; id <= rows; id++) {
                String plaintext = id == 1 ? firstPlaintext : switch ((int) (id % 4)) {
                    case 0 -> "";
                    case 1 -> "author-" + id + "@example.org";
                    case 2 -> "Éowyn 🗡 " + id;
                    default -> ("The Lord of the Rings, volume " + id + ". ").repeat(1 + (int) id % 9);
                };
                plaintexts.put(id, plaintext);
                ps.setLong(1, id);
                ps.setString(2, id == 1 ? first : codec.encrypt(key, null, plaintext.getBytes(UTF_8)));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return plaintexts;
    }

    /** Every row's stored value. */
    public static Map<Long, String> stored(Connection c, String table) throws SQLException {
        Map<Long, String> out = new HashMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT id, " + COLUMN + " FROM " + table)) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        }
        return out;
    }

    /** Every row decrypted under {@code master}; a row that does not decrypt fails the call. */
    public static Map<Long, String> decrypted(Connection c, String table, ActiveRecordCodec codec, MasterKey master)
            throws SQLException, UndecryptableException {
        ColumnKey key = key(codec, master, table);
        Map<Long, String> out = new HashMap<>();
        for (Map.Entry<Long, String> row : stored(c, table).entrySet()) {
            out.put(row.getKey(), new String(codec.decrypt(key, null, row.getValue()), UTF_8));
        }
        return out;
    }
}
