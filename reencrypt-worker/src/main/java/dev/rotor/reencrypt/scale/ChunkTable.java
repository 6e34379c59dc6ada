package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.reencrypt.engine.ColumnReport;
import dev.rotor.reencrypt.engine.KeyRange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code rotor.reencrypt_chunks} in the target database: the plan of a scaled-out online job and each chunk's
 * durable state ({@code PENDING → RUNNING → DONE | FAILED | CANCELLED}). The database holds the truth, so a chunk
 * is done exactly when its row says so, whichever worker ran it and however often its record was delivered.
 *
 * <p>A worker running a chunk holds a session-level advisory lock on the chunk's row id for as long as it runs. The
 * lock dies with the worker's connection, so a chunk whose worker was killed is free at once for the worker that
 * gets its record next; a second delivery while the first worker still runs waits on the lock, then finds the chunk
 * done. Every method runs on a connection in auto-commit mode, one statement a transaction.
 */
public final class ChunkTable {
    /** Advisory lock class of chunk locks ("ROT"); the row id is the second key. */
    private static final int LOCK_CLASS = 0x524f54;

    /** A chunk as recorded. */
    public record Row(long id, ChunkKey key, String columnName, KeyRange range, State state, long rowsDone,
            long rows, long rewritten, long alreadyUnderTarget, long undecryptable, List<String> undecryptableIds,
            String error, boolean retryable) {
    }

    public enum State {
        PENDING, RUNNING, DONE, FAILED, CANCELLED;

        boolean finished() {
            return this == DONE || this == CANCELLED;
        }
    }

    private ChunkTable() {
    }

    /** Creates the schema and table when absent; safe to run from several workers at once. */
    public static void ensure(Connection c) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA IF NOT EXISTS rotor");
                st.execute("CREATE TABLE IF NOT EXISTS rotor.reencrypt_chunks (id bigserial PRIMARY KEY,"
                        + " rotation_id uuid NOT NULL, direction text NOT NULL, attempt int NOT NULL,"
                        + " column_no int NOT NULL, chunk_no int NOT NULL, column_name text NOT NULL,"
                        + " lo text, hi text, state text NOT NULL DEFAULT 'PENDING',"
                        + " rows_done bigint NOT NULL DEFAULT 0,"
                        + " rows bigint NOT NULL DEFAULT 0, rewritten bigint NOT NULL DEFAULT 0,"
                        + " already_under_target bigint NOT NULL DEFAULT 0, undecryptable bigint NOT NULL DEFAULT 0,"
                        + " undecryptable_ids text, error text, retryable boolean NOT NULL DEFAULT false, worker text,"
                        + " updated_at timestamptz NOT NULL DEFAULT now(),"
                        + " UNIQUE (rotation_id, direction, attempt, column_no, chunk_no))");
                return;
            } catch (SQLException e) {
                // Two workers creating it at the same moment: one of them loses on the catalog's unique index.
                if (attempt == 3 || !"23505".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    /** Whether the table exists (a compensation checks before it looks for forward chunks). */
    public static boolean exists(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT to_regclass('rotor.reencrypt_chunks') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Records a chunk unless it is recorded already (a redelivered command keeps its first plan). */
    public static void plan(Connection c, ChunkKey key, String columnName, KeyRange range) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rotor.reencrypt_chunks (rotation_id, direction,"
                + " attempt, column_no, chunk_no, column_name, lo, hi) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
            bindKey(ps, key);
            ps.setString(6, columnName);
            ps.setString(7, range.after());
            ps.setString(8, range.upTo());
            ps.executeUpdate();
        }
    }

    /** The chunks of one command, by column and chunk number. */
    public static List<Row> list(Connection c, UUID rotationId, Direction direction, int attempt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE rotation_id = ? AND direction = ?"
                + " AND attempt = ? ORDER BY column_no, chunk_no")) {
            ps.setObject(1, rotationId);
            ps.setString(2, direction.name());
            ps.setInt(3, attempt);
            return read(ps);
        }
    }

    public static Optional<Row> get(Connection c, ChunkKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE rotation_id = ? AND direction = ?"
                + " AND attempt = ? AND column_no = ? AND chunk_no = ?")) {
            bindKey(ps, key);
            return read(ps).stream().findFirst();
        }
    }

    /** Waits until no other session runs this chunk, then holds it for this session. */
    public static void lock(Connection c, long id) throws SQLException {
        advisory(c, "pg_advisory_lock", id);
    }

    /** Whether some session runs this chunk now (its lock is held); does not wait. */
    public static boolean isRunning(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, (int) id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return true;
                }
            }
        }
        unlock(c, id);
        return false;
    }

    public static void unlock(Connection c, long id) throws SQLException {
        advisory(c, "pg_advisory_unlock", id);
    }

    public static void running(Connection c, long id, String worker) throws SQLException {
        update(c, "state = 'RUNNING', rows_done = 0, error = NULL, worker = ?", id, worker);
    }

    public static void progress(Connection c, long id, long rowsDone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET rows_done = ?,"
                + " updated_at = now() WHERE id = ? AND state = 'RUNNING'")) {
            ps.setLong(1, rowsDone);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
    }

    /** Marks the chunk done with what its run did, unless it was cancelled meanwhile. */
    public static void done(Connection c, long id, ColumnReport r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET state = 'DONE',"
                + " rows_done = ?, rows = ?, rewritten = ?, already_under_target = ?, undecryptable = ?,"
                + " undecryptable_ids = ?, updated_at = now() WHERE id = ? AND state = 'RUNNING'")) {
            ps.setLong(1, r.rows());
            ps.setLong(2, r.rows());
            ps.setLong(3, r.rewritten());
            ps.setLong(4, r.alreadyUnderTarget());
            ps.setLong(5, r.undecryptable());
            ps.setString(6, r.undecryptableIds().isEmpty() ? null : String.join("\n", r.undecryptableIds()));
            ps.setLong(7, id);
            ps.executeUpdate();
        }
    }

    /** {@code error} names rows and key versions only, never values (the engine's messages). */
    public static void failed(Connection c, long id, String error, boolean retryable) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET state = 'FAILED',"
                + " error = ?, retryable = ?, updated_at = now() WHERE id = ? AND state = 'RUNNING'")) {
            ps.setString(1, error);
            ps.setBoolean(2, retryable);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
    }

    /** A chunk to run again: failed, or recorded as running by a worker that is gone. */
    public static void reopen(Connection c, long id) throws SQLException {
        update(c, "state = 'PENDING', rows_done = 0", id, null);
    }

    /**
     * Cancels the unfinished chunks of a rotation's commands in one direction (every attempt); returns their ids. A
     * worker running one of them sees it at its next progress report and stops after its current page.
     */
    public static List<Long> cancel(Connection c, UUID rotationId, Direction direction) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET state = 'CANCELLED',"
                + " updated_at = now() WHERE rotation_id = ? AND direction = ? AND state IN ('PENDING', 'RUNNING',"
                + " 'FAILED') RETURNING id")) {
            ps.setObject(1, rotationId);
            ps.setString(2, direction.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        return ids;
    }

    public static State state(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state FROM rotor.reencrypt_chunks WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? State.valueOf(rs.getString(1)) : State.CANCELLED;
            }
        }
    }

    private static final String SELECT = "SELECT id, rotation_id, direction, attempt, column_no, chunk_no,"
            + " column_name, lo, hi, state, rows_done, rows, rewritten, already_under_target, undecryptable,"
            + " undecryptable_ids, error, retryable FROM rotor.reencrypt_chunks";

    private static List<Row> read(PreparedStatement ps) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String ids = rs.getString(16);
                rows.add(new Row(rs.getLong(1), new ChunkKey(rs.getObject(2, UUID.class),
                        Direction.valueOf(rs.getString(3)), rs.getInt(4), rs.getInt(5), rs.getInt(6)),
                        rs.getString(7), new KeyRange(rs.getString(8), rs.getString(9)),
                        State.valueOf(rs.getString(10)), rs.getLong(11), rs.getLong(12), rs.getLong(13),
                        rs.getLong(14), rs.getLong(15), ids == null ? List.of() : List.of(ids.split("\n")),
                        rs.getString(17), rs.getBoolean(18)));
            }
        }
        return rows;
    }

    private static void bindKey(PreparedStatement ps, ChunkKey key) throws SQLException {
        ps.setObject(1, key.rotationId());
        ps.setString(2, key.direction().name());
        ps.setInt(3, key.attempt());
        ps.setInt(4, key.column());
        ps.setInt(5, key.chunk());
    }

    private static void update(Connection c, String set, long id, String worker) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE rotor.reencrypt_chunks SET " + set
                + ", updated_at = now() WHERE id = ?")) {
            int n = 1;
            if (worker != null) {
                ps.setString(n++, worker);
            }
            ps.setLong(n, id);
            ps.executeUpdate();
        }
    }

    private static void advisory(Connection c, String function, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            ps.setInt(1, LOCK_CLASS);
            ps.setInt(2, (int) id);
            ps.execute();
        }
    }
}
