package dev.rotor.local.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * The floors a re-encryption is measured against, with no crypto. {@link #run}, the paged floor: the same bytes read out by keyset pages and written back unchanged through COPY into a temp table
 * and one {@code UPDATE … FROM} per page, in one transaction, with no crypto. What Rotor adds on top is the crypto.
 * The table needs an {@code id} key and a {@code value_ciphertext} column. Used by {@code bench reencrypt} (the engine
 * in one JVM) and {@code bench reencrypt --saga} (a rotation through the services).
 */
public final class CopyFloor {
    private CopyFloor() {
    }

    /** Rewrites every row of {@code table} in pages of {@code chunk} rows; returns the rows rewritten. */
    public static long run(Connection c, String table, int chunk) throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE floor_chunk ON COMMIT DROP AS SELECT id AS rid, value_ciphertext AS val "
                    + "FROM " + table + " WITH NO DATA");
        }
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        long rows = 0;
        Object last = null;
        try (PreparedStatement first = c.prepareStatement("SELECT t.id, t.id::text, t.value_ciphertext FROM " + table + " AS t"
                + " WHERE t.value_ciphertext IS NOT NULL ORDER BY t.id LIMIT ?");
                PreparedStatement after = c.prepareStatement("SELECT t.id, t.id::text, t.value_ciphertext FROM " + table + " AS t"
                        + " WHERE t.id > ? AND t.value_ciphertext IS NOT NULL ORDER BY t.id LIMIT ?");
                PreparedStatement update = c.prepareStatement("UPDATE " + table + " AS t SET value_ciphertext = "
                        + "c.val FROM floor_chunk AS c WHERE t.id = c.rid AND t.id >= ? AND t.id <= ?");
                Statement truncate = c.createStatement()) {
            while (true) {
                PreparedStatement ps = last == null ? first : after;
                if (last != null) {
                    ps.setObject(1, last);
                }
                ps.setInt(last == null ? 1 : 2, chunk);
                StringBuilder sb = new StringBuilder(chunk * 300);
                Object firstId = null;
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        last = rs.getObject(1);
                        firstId = firstId == null ? last : firstId;
                        sb.append(rs.getString(2)).append('\t').append(rs.getString(3)).append('\n');
                        n++;
                    }
                }
                if (n == 0) {
                    break;
                }
                truncate.execute("TRUNCATE floor_chunk");
                CopyIn in = copy.copyIn("COPY floor_chunk (rid, val) FROM STDIN");
                byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
                in.writeToCopy(bytes, 0, bytes.length);
                in.endCopy();
                update.setObject(1, firstId);
                update.setObject(2, last);
                update.executeUpdate();
                rows += n;
                if (n < chunk) {
                    break;
                }
            }
        }
        c.commit();
        return rows;
    }

    /**
     * The whole-table floor, as issue 14 states it: one {@code COPY (SELECT id, value_ciphertext …) TO STDOUT} into a
     * spool file, one {@code COPY … FROM STDIN} of that file into a temp table, and one {@code UPDATE … FROM} it, in one
     * transaction. It is slower than the paged floor on a table larger than {@code temp_buffers}, since the temp table
     * and the one big join spill; both are printed, so the reader sees both.
     *
     * @return the rows rewritten
     */
    public static long runWhole(Connection c, String table, java.nio.file.Path spool) throws SQLException {
        c.setAutoCommit(false);
        CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
        try (Statement st = c.createStatement()) {
            st.execute("CREATE TEMP TABLE floor_whole ON COMMIT DROP AS SELECT id AS rid, value_ciphertext AS val "
                    + "FROM " + table + " WITH NO DATA");
            try (var out = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(spool), 1 << 16)) {
                copy.copyOut("COPY (SELECT id, value_ciphertext FROM " + table + " WHERE value_ciphertext IS NOT NULL)"
                        + " TO STDOUT", out);
            }
            try (var in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(spool), 1 << 16)) {
                copy.copyIn("COPY floor_whole (rid, val) FROM STDIN", in);
            }
            long rows = st.executeUpdate("UPDATE " + table + " AS t SET value_ciphertext = c.val FROM floor_whole AS c"
                    + " WHERE t.id = c.rid");
            c.commit();
            return rows;
        } catch (java.io.IOException e) {
            c.rollback();
            throw new SQLException("the spool file " + spool + ": " + e.getMessage(), "58030", e);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(spool);
            } catch (java.io.IOException ignored) {
                // a temp file; the next run overwrites it
            }
        }
    }

    /**
     * {@code VACUUM ANALYZE table} then {@code CHECKPOINT}, outside any transaction (untimed): each timed phase starts
     * from the same state, the table vacuumed and no dirty buffer left by the phase before. Without the checkpoint,
     * the phase after a large rewrite shares the disk with the writing-out of that rewrite (a fsync of a few bytes
     * elsewhere, such as a keystore's, then waits behind it): which phase paid for it depended on the order they ran.
     * {@code CHECKPOINT} needs a superuser or, from PostgreSQL 15, the {@code pg_checkpoint} role; without either the
     * phases run without it, and {@link #checkpointRefused} says so.
     */
    public static void vacuum(Connection c, String table) throws SQLException {
        vacuum(c, table, true);
    }

    /** {@link #vacuum}, with or without the {@code CHECKPOINT} (to compare with runs measured without it). */
    public static void vacuum(Connection c, String table, boolean checkpoint) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(true);
        try (Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE " + table);
            if (checkpoint) {
                try {
                    st.execute("CHECKPOINT");
                } catch (SQLException e) {
                    if (!"42501".equals(e.getSQLState())) {
                        throw e;
                    }
                    checkpointRefused = true;
                }
            }
        }
        c.setAutoCommit(auto);
    }

    /** Whether {@link #vacuum} could not checkpoint: the user is neither a superuser nor in {@code pg_checkpoint}. */
    public static volatile boolean checkpointRefused;
}
