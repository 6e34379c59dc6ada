package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The shadow of a rotation's re-encryption (issue 14 §3): for each column {@code n} of the job, the table
 * {@code rotor.shadow_<tag>_<n>} in the target database holds {@code (rotor_id, rotor_old, rotor_new_md5)} of every
 * row the job wrote: the ciphertext it overwrote, and the MD5 of the one it wrote (16 bytes, as a uuid, instead of the
 * whole new ciphertext: it only has to recognise it, and the shadow's size is most of its cost), in the transaction
 * that wrote the rows. In online mode each chunk's statement inserts the rows it wrote ({@link ChunkWriter}); a row
 * written twice (online mode re-encrypts rows the application wrote under the old key meanwhile) has a shadow row per
 * write. In atomic mode the table is locked for the job's one transaction, so the shadow is made in bulk instead:
 * {@link #snapshot} copies every row's value before the first write, and {@link #recordWritten} the MD5 of every
 * row's value after the last one, into {@code <shadow>_written} (a row the job did not change is restored to the
 * value it already holds, which changes nothing).
 *
 * <p>Restoring is a compare-and-set per column, on the server: a row whose value is still one this rotation wrote
 * gets the value it overwrote back. A row the application wrote since holds something else and is left to the
 * reversed job, so nothing the application wrote is lost. The shadow lives until the previous version retires (or
 * the rotation is compensated or rolled back), then it is dropped.
 */
public final class Shadow {
    static final String SCHEMA = "rotor";
    private static final Pattern TAG = Pattern.compile("[a-z0-9]{1,40}");

    private Shadow() {
    }

    /** The tag of a rotation's shadow tables: its id without dashes. */
    public static String tag(UUID rotation) {
        return rotation.toString().replace("-", "");
    }

    /** The qualified name of column {@code n}'s shadow table. */
    static String table(String tag, int n) {
        if (!TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("shadow tag must be 1 to 40 lower-case letters or digits");
        }
        return SCHEMA + ".shadow_" + tag + "_" + n;
    }

    /** Creates the schema and column {@code n}'s shadow table unless they exist, in the caller's transaction. */
    static String create(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        String table = table(tag, n);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            // The id column gets the target's own type without naming it; logged, so it survives a crash.
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " AS SELECT t." + col.id() + " AS rotor_id, "
                    + col.value("t") + " AS rotor_old, " + digest(col.value("t")) + " AS rotor_new_md5 FROM "
                    + col.table() + " AS t WITH NO DATA");
        }
        return table;
    }

    /**
     * Atomic mode, before the column's first write (under the job's EXCLUSIVE lock, in its one transaction): column
     * {@code n}'s shadow table made in bulk, one sequential scan, with every row's value as it is now and no MD5 yet
     * ({@link #recordWritten} adds them after the last write). On a stock PostgreSQL 15 the shadow written row by row
     * with each page's UPDATE, as online mode's chunks do, more than doubled an atomic run; the two bulk statements
     * cost a fraction of that. A shadow that already exists (the same rotation's job ran and committed before) is
     * kept as it is.
     */
    static String snapshot(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        String table = table(tag, n);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE IF NOT EXISTS " + table + " AS SELECT t." + col.id() + " AS rotor_id, "
                    + col.value("t") + " AS rotor_old, NULL::uuid AS rotor_new_md5 FROM " + col.table() + " AS t"
                    + " WHERE " + col.value("t") + " IS NOT NULL");
        }
        return table;
    }

    /**
     * Atomic mode, after the column's last write and before the commit: the MD5 of what every row holds now, in the
     * table {@code <shadow>_written}, one sequential scan. A restore recognises a row it may put back by it.
     */
    static void recordWritten(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + written(tag, n) + " AS SELECT t." + col.id()
                    + " AS rotor_id, " + digest(col.value("t")) + " AS rotor_new_md5 FROM " + col.table() + " AS t"
                    + " WHERE " + col.value("t") + " IS NOT NULL");
        }
    }

    /** Atomic mode's MD5s of the values as the job left them, beside its shadow table {@code n}. */
    static String written(String tag, int n) {
        return table(tag, n) + "_written";
    }

    /** The SQL of what the shadow keeps of a written value: its MD5 as a uuid. */
    static String digest(String textExpression) {
        return "md5(" + textExpression + ")::uuid";
    }

    /** Whether every column of a job with {@code columns} columns has its shadow table. */
    public static boolean exists(Connection c, String tag, int columns) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            for (int n = 0; n < columns; n++) {
                ps.setString(1, table(tag, n));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Puts back the value each row held before the rotation, where the row still holds what the rotation wrote: one
     * statement per column, in the caller's transaction.
     *
     * @return rows restored
     */
    static long restore(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        boolean atomic;
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, written(tag, n));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                atomic = rs.getBoolean(1);
            }
        }
        try (Statement st = c.createStatement()) {
            return st.executeLargeUpdate("UPDATE " + col.table() + " AS t SET " + col.column() + " = "
                    + col.assigned("t", "s.rotor_old") + " FROM " + table(tag, n) + " AS s"
                    + (atomic ? " JOIN " + written(tag, n) + " AS w ON w.rotor_id = s.rotor_id" : "")
                    + " WHERE t." + col.id() + " = s.rotor_id AND " + digest(col.value("t")) + " = "
                    + (atomic ? "w" : "s") + ".rotor_new_md5");
        }
    }

    /** Drops every shadow table of the tag, committed; returns how many there were. Repeating it is harmless. */
    public static int drop(Database db, String tag) {
        table(tag, 0); // validates the tag
        try (Connection c = db.open()) {
            List<String> tables = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT tablename FROM pg_tables WHERE schemaname = ?"
                    + " AND tablename LIKE ?")) {
                ps.setString(1, SCHEMA);
                ps.setString(2, "shadow\\_" + tag + "\\_%");
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                for (String t : tables) {
                    st.execute("DROP TABLE IF EXISTS " + SCHEMA + "." + t);
                }
            }
            return tables.size();
        } catch (SQLException e) {
            throw SqlErrors.wrap("could not drop the shadow tables", e);
        }
    }
}
