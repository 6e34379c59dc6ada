package dev.rotor.reencrypt.bench;

import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.ColumnKey;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.cipher.UndecryptableException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.IntStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A ToolJet-shaped table {@code (id uuid PK, value_ciphertext text, created_at, updated_at)} seeded by COPY with
 * ~200-byte plaintexts in Lockbox format. A row's plaintext is a function of its id, so any reader can check it.
 */
public final class LockboxTable {
    public static final ColumnCodec CODEC = Codecs.lockbox();
    public static final String LABEL_COLUMN = "value";
    private static final int BATCH = 10_000;

    private LockboxTable() {
    }

    /** The plaintext the seed wrote for a row (generation 0) or an application rewrite (generation n). */
    public static byte[] plaintext(String id, int generation) {
        String base = "{\"token\":\"" + id + "\",\"gen\":" + generation + ",\"pad\":\"";
        StringBuilder sb = new StringBuilder(base);
        while (sb.length() < 196) {
            sb.append((char) ('a' + (sb.length() * 7 + id.charAt(sb.length() % id.length())) % 26));
        }
        return sb.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    public static ColumnKey key(MasterKey master, String table) {
        return CODEC.deriveKey(master, table, LABEL_COLUMN);
    }

    /** Drops and creates {@code table} and fills it with {@code rows} rows under {@code master}. */
    public static void create(Connection c, String table, int rows, MasterKey master) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + table);
            st.execute("CREATE TABLE " + table + " (id uuid PRIMARY KEY, value_ciphertext text, "
                    + "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now())");
        }
        ColumnKey key = key(master, table);
        for (int done = 0; done < rows; done += BATCH) {
            int n = Math.min(BATCH, rows - done);
            String[] lines = new String[n];
            IntStream.range(0, n).parallel().forEach(i -> {
                String id = UUID.randomUUID().toString();
                lines[i] = id + "\t" + CODEC.encrypt(key, id, plaintext(id, 0)) + "\n";
            });
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (id, value_ciphertext) FROM STDIN");
            byte[] bytes = String.join("", lines).getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        }
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE " + table);
        }
        c.setAutoCommit(auto);
    }

    /**
     * Rows whose value does not decrypt under {@code master} to the plaintext of its generation.
     *
     * @param generationOf the generation each row is expected at (0 unless the test rewrote it)
     */
    public static long mismatches(Connection c, String table, MasterKey master,
            java.util.function.ToIntFunction<String> generationOf) throws SQLException {
        ColumnKey key = key(master, table);
        long bad = 0;
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false); // a cursor: the driver fetches 10k rows at a time instead of the whole table
        try (Statement st = c.createStatement()) {
            st.setFetchSize(10_000);
            ResultSet rs = st.executeQuery("SELECT id::text, value_ciphertext FROM " + table);
            while (rs.next()) {
                String id = rs.getString(1);
                try {
                    if (!Arrays.equals(CODEC.decrypt(key, id, rs.getString(2)),
                            plaintext(id, generationOf.applyAsInt(id)))) {
                        bad++;
                    }
                } catch (UndecryptableException e) {
                    bad++;
                }
            }
        } finally {
            c.commit();
            c.setAutoCommit(auto);
        }
        return bad;
    }

    /** A checksum of every stored value, to prove a run wrote nothing. */
    public static String checksum(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT md5(string_agg(id::text || "
                + "':' || coalesce(value_ciphertext, '-'), ',' ORDER BY id)) || ':' || count(*) FROM " + table)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
