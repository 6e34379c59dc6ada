package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * Writes the rewritten rows of a chunk in two statements whatever its size: COPY into a temporary table, then one
 * {@code UPDATE … FROM} bounded to the chunk's id range. The writer reports which rows the database took, by chunk
 * index ({@code RETURNING rotor_n}). In atomic mode it also returns whether each row's column, as the database now
 * holds it, is exactly the value sent (compared on the server, into {@link Chunk#storedAsWritten}): the value sent was
 * verified under the target key before the write, so this is the read-back of every row before the commit, without
 * sending every ciphertext back. The table is locked, so every row must be taken. In online mode no values come
 * back (its verification pass reads the rows again). With {@code cas}, a row is only written while it still holds
 * the value that was read: a concurrent application write wins and the row is retried. With a {@link Shadow} table
 * (online mode), the same statement inserts {@code (id, old, md5(new))} of every row it wrote into it (a
 * data-modifying CTE over the UPDATE's {@code RETURNING}), so the shadow commits exactly with the chunk and holds
 * only rows that were written.
 */
final class ChunkWriter implements AutoCloseable {
    private static final int FLUSH_BYTES = 1 << 18;
    private static final long WORK_MEM_BYTES = 32L << 20;

    private final Connection connection;
    private final CopyManager copy;
    private final String tempTable;
    private final String copySql;
    private final PreparedStatement update;
    private final boolean cas;
    /** Sends the old value too, for the compare-and-set (online mode; its shadow takes the old value from there). */
    private final boolean withOld;
    private boolean dirty = true;
    long copyNanos;
    long updateNanos;
    private final CopyText text = new CopyText();

    /** Written rows of the last chunk: their index in the chunk. */
    int[] writtenRows = new int[0];
    int writtenCount;

    ChunkWriter(Connection c, ColumnTarget col, int index, boolean cas) throws SQLException {
        this(c, col, index, cas, null);
    }

    /** @param shadowTable the shadow table of this column, already created; null for none */
    ChunkWriter(Connection c, ColumnTarget col, int index, boolean cas, String shadowTable) throws SQLException {
        this.connection = c;
        this.cas = cas;
        // Only the compare-and-set needs the old values, and online mode's shadow takes them from there (atomic mode
        // makes its shadow in bulk, see Shadow.snapshot).
        if (shadowTable != null && !cas) {
            throw new IllegalArgumentException("a shadow written with each chunk needs the compare-and-set");
        }
        this.withOld = cas;
        this.copy = c.unwrap(PGConnection.class).getCopyAPI();
        this.tempTable = "rotor_chunk_" + index;
        // CREATE … AS … WITH NO DATA gives the temp id column the target's own type without naming it in SQL.
        try (Statement st = c.createStatement()) {
            // A page's rows (with the old values, online) are several MB: under the default work_mem of 4 MB the
            // UPDATE's sort of them, and the shadow's CTE, spill to temporary files at every page. This session only;
            // a server that allows more keeps its own.
            st.execute("SELECT set_config('work_mem', greatest(pg_size_bytes(current_setting('work_mem')), "
                    + WORK_MEM_BYTES + ") / 1024 || 'kB', false)");
            st.execute("CREATE TEMP TABLE IF NOT EXISTS " + tempTable + " ON COMMIT DELETE ROWS AS SELECT 0 AS rotor_n, t."
                    + col.id() + " AS rotor_id, " + (withOld ? col.value("t") + " AS rotor_old, " : "")
                    + col.value("t") + " AS rotor_new FROM " + col.table() + " AS t WITH NO DATA");
        }
        copySql = "COPY " + tempTable + " (rotor_n, rotor_id, " + (withOld ? "rotor_old, " : "")
                + "rotor_new) FROM STDIN";
        String write = "UPDATE " + col.table() + " AS t SET " + col.column() + " = "
                + col.assigned("t", "c.rotor_new") + " FROM " + tempTable + " AS c"
                + " WHERE t." + col.id() + " = c.rotor_id"
                + (cas ? " AND " + col.value("t") + " = c.rotor_old" : "")
                + " AND t." + col.id() + " >= ? AND t." + col.id() + " <= ?";
        String same = "(" + col.value("t") + " = c.rotor_new)";
        update = c.prepareStatement(shadowTable == null
                ? write + " RETURNING c.rotor_n" + (cas ? "" : ", " + same)
                : "WITH w AS (" + write + " RETURNING c.rotor_n, c.rotor_id, c.rotor_old, c.rotor_new), s AS"
                        + " (INSERT INTO " + shadowTable + " (rotor_id, rotor_old, rotor_new_md5) SELECT rotor_id,"
                        + " rotor_old, " + Shadow.digest("rotor_new") + " FROM w) SELECT rotor_n FROM w");
    }

    /** Writes every {@code REWRITE} row; returns how many the database took (the rest changed meanwhile). */
    int write(Chunk chunk) throws SQLException {
        writtenCount = 0;
        int toWrite = chunk.count(Chunk.REWRITE);
        if (toWrite == 0) {
            return 0;
        }
        long t0 = System.nanoTime();
        if (dirty) {
            // Atomic mode writes many chunks before its one commit, and a compare-and-set retry writes again before
            // the chunk's commit. After a commit the table is already empty (ON COMMIT DELETE ROWS), and a TRUNCATE
            // would only give it a new file and invalidate the cached plan of the UPDATE.
            try (Statement st = connection.createStatement()) {
                st.execute("TRUNCATE " + tempTable);
            }
        }
        dirty = true;
        CopyIn in = copy.copyIn(copySql);
        try {
            text.clear();
            for (int i = 0; i < chunk.size; i++) {
                if (chunk.state[i] != Chunk.REWRITE) {
                    continue;
                }
                text.field(i);
                text.tab();
                text.field(chunk.idTexts[i]);
                text.tab();
                if (withOld) {
                    text.field(chunk.values[i]);
                    text.tab();
                }
                text.field(chunk.newValues[i]);
                text.endRow();
                if (text.length() >= FLUSH_BYTES) {
                    in.writeToCopy(text.bytes(), 0, text.length());
                    text.clear();
                }
            }
            in.writeToCopy(text.bytes(), 0, text.length());
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
        long t1 = System.nanoTime();
        copyNanos += t1 - t0;
        update.setObject(1, chunk.firstId());
        update.setObject(2, chunk.lastId());
        if (writtenRows.length < toWrite) {
            writtenRows = new int[toWrite];
        }
        try (ResultSet rs = update.executeQuery()) {
            while (rs.next()) {
                int n = rs.getInt(1);
                if (!cas) {
                    chunk.storedAsWritten[n] = rs.getBoolean(2); // atomic: the read-back, checked before the commit
                }
                if (writtenCount < toWrite) {
                    writtenRows[writtenCount] = n;
                }
                writtenCount++;
            }
        }
        updateNanos += System.nanoTime() - t1;
        return writtenCount;
    }

    /** The transaction committed, which emptied the temporary table. */
    void committed() {
        dirty = false;
    }

    @Override
    public void close() throws SQLException {
        update.close();
    }
}
