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
 * {@code rotor.shadow_<tag>_<n>} in the target database holds {@code (rotor_id, rotor_old, rotor_new_md5)}: the
 * ciphertext each row held before the job wrote it, and how to recognise the value the job wrote, in the transaction
 * that wrote the rows.
 *
 * <p>Online mode: each chunk's statement inserts the rows it wrote, with the MD5 of the new value (16 bytes, as a uuid,
 * instead of the whole new ciphertext: the shadow's size is most of its cost) ({@link ChunkWriter}); a row written
 * twice (online mode re-encrypts rows the application wrote under the old key meanwhile) has a shadow row per write.
 *
 * <p>Atomic mode: the tables are locked for the job's one transaction, so the shadow is made in bulk instead.
 * {@link #snapshot} copies every row's value as it was before the job (on a connection of its own, under the job's
 * lock, see {@link ShadowCopy}), and {@link #recordTransaction} records the job's
 * transaction id in {@code rotor.shadow_<tag>_xact} before the commit. PostgreSQL stamps every row version with the
 * transaction that wrote it ({@code xmin}), so a row still holding what the job wrote is one whose {@code xmin} is
 * that transaction: any later write of the row, by anyone, makes a new version with another {@code xmin}. This costs
 * nothing per row; an earlier form scanned the table again after the last write for the MD5 of every value, which
 * cost about a seventh of a 1M-row run on a stock PostgreSQL 15. The id is recorded epoch-qualified
 * ({@code txid_current()}), and {@code xmin} holds only its low 32 bits, so a restore trusts it only while fewer than
 * 2^31 transactions have run since; past that, it restores nothing and leaves every row to the reversed job.
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
     * Atomic mode: column {@code n}'s shadow table made in bulk, one sequential scan, with every row's value as it is
     * now and no MD5 (the rows the job wrote are recognised by their {@code xmin}, see {@link #recordTransaction}).
     * {@link ShadowCopy} runs it beside the job, under the job's lock. On a stock PostgreSQL 15 the shadow written row
     * by row with each page's UPDATE, as online mode's chunks do, more than doubled an atomic run; the bulk statement
     * costs a fraction of that. {@link #snapshotAll} decides whether a shadow is made at all.
     */
    static void snapshot(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + SCHEMA);
            st.execute("CREATE TABLE " + table(tag, n) + " AS SELECT t." + col.id() + " AS rotor_id, "
                    + col.value("t") + " AS rotor_old, NULL::uuid AS rotor_new_md5 FROM " + col.table() + " AS t"
                    + " WHERE " + col.value("t") + " IS NOT NULL");
        }
    }

    /**
     * Atomic mode's shadow of every column of a job, in the caller's transaction ({@link ShadowCopy} runs it on a
     * connection of its own). A shadow with its job's transaction record ({@link #xact}) belongs to a run of the job
     * that committed, and is kept; one without it was left by a run that never committed (its worker was killed after
     * the copy committed), and may hold values the application has overwritten since, so it is dropped and made again.
     */
    static void snapshotAll(Connection c, List<ColumnTarget> columns, String tag) throws SQLException {
        if (committed(c, tag)) {
            return;
        }
        dropTables(c, tag);
        for (int n = 0; n < columns.size(); n++) {
            snapshot(c, columns.get(n), tag, n);
        }
    }

    /** Whether the tag's shadow has its job's transaction record: that job committed, and the shadow is its own. */
    static boolean committed(Connection c, String tag) throws SQLException {
        return exists(c, xact(tag));
    }

    /**
     * Atomic mode, after the last write and before the commit: the job's transaction id, epoch-qualified, in
     * {@code rotor.shadow_<tag>_xact}. A restore recognises the rows the job wrote by it ({@code xmin}). A table that
     * exists already (the same job ran and committed before, and this run found every row done) is kept: the rows
     * were written by that earlier transaction.
     */
    static void recordTransaction(Connection c, String tag) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS " + xact(tag) + " AS SELECT txid_current() AS rotor_txid");
        }
    }

    /** Atomic mode's record of the transaction that wrote the rows. */
    static String xact(String tag) {
        table(tag, 0); // validates the tag
        return SCHEMA + ".shadow_" + tag + "_xact";
    }

    /**
     * The MD5s of the values as an atomic job left them, beside its shadow table {@code n}, as an earlier build wrote
     * them instead of {@link #xact}; a shadow it made is still restored through them.
     */
    static String written(String tag, int n) {
        return table(tag, n) + "_written";
    }

    /** The SQL of what the shadow keeps of a written value: its MD5 as a uuid. */
    static String digest(String textExpression) {
        return "md5(" + textExpression + ")::uuid";
    }

    /** Whether every column of a job with {@code columns} columns has its shadow table. */
    public static boolean exists(Connection c, String tag, int columns) throws SQLException {
        for (int n = 0; n < columns; n++) {
            if (!exists(c, table(tag, n))) {
                return false;
            }
        }
        return true;
    }

    private static boolean exists(Connection c, String qualifiedTable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualifiedTable);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * What a restore did: the rows put back per column, and why it put back none where it could not recognise the
     * rows the job wrote (null otherwise).
     */
    record Outcome(long restored, String note) {
    }

    /** Transactions after which a 32-bit {@code xmin} could name a later transaction than the job's. */
    static final long XMIN_HORIZON = 1L << 31;

    /**
     * Puts back the value each row held before the rotation, where the row still holds what the rotation wrote: one
     * statement per column, in the caller's transaction.
     */
    static Outcome restore(Connection c, List<ColumnTarget> cols, String tag) throws SQLException {
        if (committed(c, tag)) {
            long txid;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT rotor_txid,"
                    + " txid_current() - rotor_txid FROM " + xact(tag))) {
                rs.next();
                txid = rs.getLong(1);
                long since = rs.getLong(2);
                if (since < 0 || since >= XMIN_HORIZON) {
                    return new Outcome(0, "the transaction that wrote the rows (" + txid + ") is not within the last"
                            + " 2^31 transactions of this database (" + since + " since), so a row's xmin no longer"
                            + " tells whether it still holds what that transaction wrote: no row was restored from"
                            + " the shadow, every row was re-encrypted back instead");
                }
            }
            // Restoring a column writes its rows, and gives them a new xmin: the rows the job wrote are settled for
            // every table before the first restore.
            List<String> tables = new ArrayList<>();
            for (ColumnTarget col : cols) {
                if (!tables.contains(col.table())) {
                    tables.add(col.table());
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE TEMP TABLE rotor_restore_" + (tables.size() - 1) + " ON COMMIT DROP AS"
                                + " SELECT t." + col.id() + " AS rotor_id FROM " + col.table() + " AS t WHERE t.xmin = '"
                                + Long.remainderUnsigned(txid, 1L << 32) + "'::xid");
                    }
                }
            }
            long restored = 0;
            for (int n = 0; n < cols.size(); n++) {
                ColumnTarget col = cols.get(n);
                try (Statement st = c.createStatement()) {
                    restored += st.executeLargeUpdate("UPDATE " + col.table() + " AS t SET " + col.column() + " = "
                            + col.assigned("t", "s.rotor_old") + " FROM " + table(tag, n) + " AS s JOIN rotor_restore_"
                            + tables.indexOf(col.table()) + " AS w ON w.rotor_id = s.rotor_id WHERE t." + col.id()
                            + " = s.rotor_id");
                }
            }
            return new Outcome(restored, null);
        }
        long restored = 0;
        for (int n = 0; n < cols.size(); n++) {
            ColumnTarget col = cols.get(n);
            boolean md5s = exists(c, written(tag, n)); // atomic, from an earlier build
            try (Statement st = c.createStatement()) {
                restored += st.executeLargeUpdate("UPDATE " + col.table() + " AS t SET " + col.column() + " = "
                        + col.assigned("t", "s.rotor_old") + " FROM " + table(tag, n) + " AS s"
                        + (md5s ? " JOIN " + written(tag, n) + " AS w ON w.rotor_id = s.rotor_id" : "")
                        + " WHERE t." + col.id() + " = s.rotor_id AND " + digest(col.value("t")) + " = "
                        + (md5s ? "w" : "s") + ".rotor_new_md5");
            }
        }
        return new Outcome(restored, null);
    }

    /** Drops every shadow table of the tag, committed; returns how many there were. Repeating it is harmless. */
    public static int drop(Database db, String tag) {
        table(tag, 0); // validates the tag
        try (Connection c = db.open()) {
            return dropTables(c, tag);
        } catch (SQLException e) {
            throw SqlErrors.wrap("could not drop the shadow tables", e);
        }
    }

    /** Drops every shadow table of the tag, in the caller's transaction; returns how many there were. */
    static int dropTables(Connection c, String tag) throws SQLException {
        table(tag, 0); // validates the tag
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
    }
}
