package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.DerivedKeyCache;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.jdbc.AutoSave;

/**
 * Re-encrypts the columns of one job (design §7) over two connections: one writes (the job's transaction, or one per
 * chunk online), the other reads the pages ahead ({@link ReadAhead}). Plain JDBC and contracts only, so the benchmark and the tests call
 * it directly. Re-running a job is harmless: rows already under the target key are recognised and left alone, which
 * is also what makes a compensation (the reversed job) safe when the forward run never happened or stopped halfway.
 */
public final class ReencryptEngine {
    private final EngineSettings settings;
    private final long progressIntervalMillis;

    public ReencryptEngine(EngineSettings settings) {
        this(settings, 1000);
    }

    public ReencryptEngine(EngineSettings settings, long progressIntervalMillis) {
        this.settings = settings;
        this.progressIntervalMillis = progressIntervalMillis;
    }

    /**
     * Runs the job to the end.
     *
     * @throws ReencryptException naming tables, row ids and key versions (never values); retryable for transient
     *     database trouble
     */
    public ReencryptReport run(Database db, ReencryptJob job, RunControl control) {
        checkKeys(job);
        long started = System.nanoTime();
        DerivedKeyCache keys = new DerivedKeyCache();
        ProgressMeter meter = new ProgressMeter(control, progressIntervalMillis);
        try (RowCrypto crypto = new RowCrypto(job.codec(), settings.threads());
                Connection c = open(db);
                ReadAhead reads = new ReadAhead(db)) {
            List<ColumnPass> passes = passes(c, reads, crypto, keys, job, KeyRange.ALL);
            try {
                execute(db, c, job, passes, meter, control);
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
            meter.finish();
            return new ReencryptReport(job.mode(), job.dryRun(), passes.stream().map(p -> p.report).toList(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException e) {
            throw SqlErrors.wrap("datasource error", e);
        }
    }

    /**
     * The pre-flight of every column, as {@link #run} does it first, and the number of rows each column has to do. A
     * scale-out coordinator calls it before it plans chunks, so that a wrong source key still aborts before any write.
     * Writes nothing.
     */
    public List<Long> preflight(Database db, ReencryptJob job) {
        checkKeys(job);
        DerivedKeyCache keys = new DerivedKeyCache();
        try (RowCrypto crypto = new RowCrypto(job.codec(), settings.threads()); Connection c = open(db);
                ReadAhead reads = new ReadAhead(db)) {
            List<Long> rows = new ArrayList<>();
            for (ColumnPass p : passes(c, reads, crypto, keys, job, KeyRange.ALL)) {
                p.preflight();
                rows.add(count(c, p.col));
            }
            c.rollback();
            return rows;
        } catch (SQLException e) {
            throw SqlErrors.wrap("datasource error", e);
        }
    }

    /**
     * One scale-out chunk: the first online pass of column {@code column} over the ids in {@code range}, one
     * transaction per page with compare-and-set, as {@link #run} does it for a whole column. Running a chunk again
     * is harmless: rows already under the target key are left alone. No pre-flight and no verification pass: the
     * coordinator runs those over the whole column.
     */
    public ColumnReport runRange(Database db, ReencryptJob job, int column, KeyRange range, RunControl control) {
        if (job.mode() != Mode.ONLINE || job.dryRun()) {
            throw new IllegalArgumentException("only an online run that writes is split into chunks");
        }
        checkKeys(job);
        ProgressMeter meter = new ProgressMeter(control, progressIntervalMillis);
        try (RowCrypto crypto = new RowCrypto(job.codec(), settings.threads()); Connection c = open(db);
                ReadAhead reads = new ReadAhead(db)) {
            ColumnTarget col = job.columns().get(column);
            DerivedKeyCache keys = new DerivedKeyCache();
            ColumnPass p = new ColumnPass(c, reads, crypto, settings, Mode.ONLINE, col,
                    keys.get(job.codec(), job.from(), col.labelTable(), col.labelColumn()),
                    keys.get(job.codec(), job.to(), col.labelTable(), col.labelColumn()), range);
            String shadow = job.shadowWritten() == null ? null : createShared(c, col, job.shadowWritten(), column);
            pageCommitsAsync(c);
            try (ChunkWriter writer = new ChunkWriter(c, col, column, true, shadow)) {
                p.pass(writer, false, true, meter, control);
                commitDurably(c);
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
            meter.finish();
            return p.report;
        } catch (SQLException e) {
            throw SqlErrors.wrap("datasource error", e);
        }
    }

    /**
     * Ends a scaled-out online run once every chunk is done: the verification passes over every whole column (each
     * row decrypted under the target key, rows the application wrote under the source key meanwhile caught up), added
     * to what the chunks reported.
     *
     * @param chunks per column, the sum of its chunks' reports ({@link ColumnReport#ofChunks})
     */
    public ReencryptReport verifyChunked(Database db, ReencryptJob job, List<ColumnReport> chunks,
            RunControl control) {
        checkKeys(job);
        long started = System.nanoTime();
        ProgressMeter meter = new ProgressMeter(control, progressIntervalMillis);
        long rows = chunks.stream().mapToLong(ColumnReport::rows).sum();
        meter.total(2 * rows);
        meter.advance(rows);
        DerivedKeyCache keys = new DerivedKeyCache();
        try (RowCrypto crypto = new RowCrypto(job.codec(), settings.threads()); Connection c = open(db);
                ReadAhead reads = new ReadAhead(db)) {
            List<ColumnPass> passes = passes(c, reads, crypto, keys, job, KeyRange.ALL);
            pageCommitsAsync(c);
            int index = 0;
            for (ColumnPass p : passes) {
                String shadow = job.shadowWritten() == null ? null
                        : Shadow.create(c, p.col, job.shadowWritten(), index);
                try (ChunkWriter writer = new ChunkWriter(c, p.col, index, true, shadow)) {
                    converge(p, writer, meter, control);
                } catch (RuntimeException | SQLException e) {
                    rollbackQuietly(c);
                    throw e;
                }
                p.report.addChunks(chunks.get(index++));
            }
            commitDurably(c);
            meter.finish();
            return new ReencryptReport(job.mode(), false, passes.stream().map(p -> p.report).toList(),
                    Duration.ofNanos(System.nanoTime() - started));
        } catch (SQLException e) {
            throw SqlErrors.wrap("datasource error", e);
        }
    }

    /**
     * Creates a column's shadow table, committed, where several workers' first chunks may create it at once: two
     * concurrent {@code CREATE … IF NOT EXISTS} can still collide in the catalog (23505, 42P07, 42P06), and then the
     * loser finds the table made by the winner.
     */
    private static String createShared(Connection c, ColumnTarget col, String tag, int n) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try {
                String table = Shadow.create(c, col, tag, n);
                c.commit();
                return table;
            } catch (SQLException e) {
                rollbackQuietly(c);
                String state = e.getSQLState();
                boolean race = "23505".equals(state) || "42P07".equals(state) || "42P06".equals(state);
                if (!race || attempt == 2) {
                    throw e;
                }
            }
        }
    }

    private List<ColumnPass> passes(Connection c, ReadAhead reads, RowCrypto crypto, DerivedKeyCache keys,
            ReencryptJob job, KeyRange range) {
        List<ColumnPass> passes = new ArrayList<>();
        for (ColumnTarget col : job.columns()) {
            passes.add(new ColumnPass(c, reads, crypto, settings, job.mode(), col,
                    keys.get(job.codec(), job.from(), col.labelTable(), col.labelColumn()),
                    keys.get(job.codec(), job.to(), col.labelTable(), col.labelColumn()), range));
        }
        return passes;
    }

    private void execute(Database db, Connection c, ReencryptJob job, List<ColumnPass> passes, ProgressMeter meter,
            RunControl control) throws SQLException {
        boolean atomic = job.mode() == Mode.ATOMIC;
        if (atomic && !job.dryRun()) {
            lock(c, job.columns());
        }
        boolean online = !atomic && !job.dryRun();
        // Atomic mode's shadow is copied in bulk beside the job, from now on: the lock is held (see ShadowCopy).
        boolean copying = atomic && !job.dryRun() && job.shadowWritten() != null;
        try (ShadowCopy copy = copying ? ShadowCopy.start(db, job.columns(), job.shadowWritten()) : null) {
            for (ColumnPass p : passes) {
                p.preflight(); // every column's, before anything is written
            }
            long total = 0;
            for (ColumnPass p : passes) {
                // The shadow's copy scans the table already: the planner's estimate is enough for the progress.
                total += copying ? estimate(c, p.col) : count(c, p.col);
            }
            meter.total(online ? 2 * total : total);
            if (online) {
                c.commit(); // per-chunk transactions from here on
                pageCommitsAsync(c);
            }
            int index = 0;
            for (ColumnPass p : passes) {
                if (job.dryRun()) {
                    p.pass(null, false, true, meter, control);
                    continue;
                }
                // Online mode's chunks insert their rows into the shadow as they write them.
                String shadow = online && job.shadowWritten() != null
                        ? Shadow.create(c, p.col, job.shadowWritten(), index) : null;
                try (ChunkWriter writer = new ChunkWriter(c, p.col, index++, online, shadow)) {
                    p.pass(writer, false, true, meter, control);
                    if (online) {
                        converge(p, writer, meter, control);
                    }
                }
            }
            if (copying) {
                copy.await(); // committed: no job commits without its shadow
                Shadow.recordTransaction(c, job.shadowWritten());
            }
            if (job.dryRun()) {
                c.rollback();
            } else if (online) {
                commitDurably(c);
            } else {
                c.commit();
            }
        }
    }

    /**
     * Online mode commits every page; waiting for each page's WAL flush cost about 4 % of a run on a stock PostgreSQL
     * 15 (0.8 to 1.0 s per 1,000,000 rows). A page committed this way that a database crash loses is simply not done,
     * with its shadow rows (the same transaction), and runs again: nothing is reported done before
     * {@link #commitDurably}, or another session's synchronous commit (a chunk marked done in its table), has flushed
     * the WAL past it.
     */
    private static void pageCommitsAsync(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET synchronous_commit = off");
        }
    }

    /**
     * The last commit of an online run, waited for until the WAL is flushed past it, and so past every page committed
     * before it (the WAL is one sequence): the run's writes are durable before it reports. A transaction that wrote
     * nothing writes no commit record and would wait for nothing, so this one takes a transaction id first.
     */
    private static void commitDurably(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL synchronous_commit = on");
            st.execute("SELECT txid_current()");
        }
        c.commit();
    }

    /**
     * Undoes a completed {@code job} (its keys as it ran them, its shadow tag set): first every row that still holds
     * what the job wrote gets its old value back from the shadow, in one transaction (one statement per column);
     * then the reversed job re-encrypts, from {@code job.to()} back to {@code job.from()}, whatever the application
     * wrote under the new key since, so no row it wrote is lost or overwritten with a stale value. Repeating it is
     * harmless: restored rows no longer hold a value from the shadow, and the reversed job leaves rows already under
     * the old key alone. The shadow is left in place; the caller drops it once the undo is through.
     *
     * @throws ReencryptException not retryable, changing nothing, when the job's shadow does not exist (the rotation
     *     wrote none, or it was dropped when its previous version retired)
     */
    public Restored restore(Database db, ReencryptJob job, RunControl control) {
        if (job.shadow() == null) {
            throw new IllegalArgumentException("restore needs the job's shadow tag");
        }
        long started = System.nanoTime();
        long restored;
        String note;
        try (Connection c = open(db)) {
            try {
                if (!Shadow.exists(c, job.shadow(), job.columns().size())) {
                    throw new ReencryptException("no shadow of this rotation in the target database (schema "
                            + Shadow.SCHEMA + "): it wrote none, or it was dropped when the previous version retired;"
                            + " nothing was changed", false);
                }
                Shadow.Outcome outcome = Shadow.restore(c, job.columns(), job.shadow());
                restored = outcome.restored();
                note = outcome.note();
                c.commit();
            } catch (RuntimeException | SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("restore from the shadow failed", e);
        }
        Duration restoring = Duration.ofNanos(System.nanoTime() - started);
        ReencryptReport rest = run(db, job.reversed(), control);
        return new Restored(restored, restoring, rest, note);
    }

    /**
     * What {@link #restore} did.
     *
     * @param restored rows put back from the shadow
     * @param elapsed the time of the restore statements
     * @param rest the reversed job over the rows the application wrote since ({@code rewritten}: re-encrypted)
     * @param note why no row could be restored from the shadow, and every row was left to the reversed job; null
     *     when the shadow was used
     */
    public record Restored(long restored, Duration elapsed, ReencryptReport rest, String note) {
        /** One line for a step reply: counts, never values. */
        public String summary() {
            if (note != null) {
                return note + " (" + rest.summary() + ")";
            }
            return restored + " rows restored from the shadow in " + elapsed.toMillis() + " ms; " + rest.rewritten()
                    + " rows the application wrote since re-encrypted back (" + rest.summary() + ")";
        }
    }

    // Verification passes: every row is decrypted under the target key; rows the application wrote under the source
    // key meanwhile are re-encrypted, until a pass finds none.
    private void converge(ColumnPass p, ChunkWriter writer, ProgressMeter meter, RunControl control)
            throws SQLException {
        for (int pass = 2; pass <= Math.max(2, settings.maxOnlinePasses()); pass++) {
            if (p.pass(writer, true, false, meter, control) == 0) {
                return;
            }
        }
        throw new ReencryptException(p.col.name() + ": rows were still being written under key version "
                + p.source.keyVersion() + " after " + settings.maxOnlinePasses() + " passes; is the application"
                + " still encrypting with the old key?", true);
    }

    private static void lock(Connection c, List<ColumnTarget> columns) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        columns.forEach(col -> tables.add(col.table()));
        try (Statement st = c.createStatement()) {
            st.execute("SET LOCAL lock_timeout = '30s'");
            for (String table : tables) {
                // Readers go on; writers wait until the commit, so no row changes between our read and our write.
                st.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
            }
        }
    }

    private static long count(Connection c, ColumnTarget col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + col.table() + " AS t WHERE "
                + col.value("t") + " IS NOT NULL"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The planner's row count of the column's table (after ANALYZE, close); the exact count when it has none. */
    private static long estimate(Connection c, ColumnTarget col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples::bigint FROM pg_class WHERE oid ="
                + " to_regclass(?)")) {
            ps.setString(1, col.table());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    return rs.getLong(1);
                }
            }
        }
        return count(c, col);
    }

    private static void checkKeys(ReencryptJob job) {
        int from = job.from().version();
        int to = job.to().version();
        if (from == to) {
            throw new ReencryptException("source and target are both key version " + from, false);
        }
        if (job.from().isDestroyed() || job.to().isDestroyed()) {
            throw new ReencryptException("key version " + (job.from().isDestroyed() ? from : to)
                    + " was destroyed before the job ran", false);
        }
        if (job.from().sameSecretAs(job.to())) {
            throw new ReencryptException("key versions " + from + " and " + to + " hold the same key material; "
                    + "re-encrypting would change nothing", false);
        }
    }

    private static Connection open(Database db) throws SQLException {
        Connection c = db.open();
        c.setAutoCommit(false);
        // No savepoint around each statement, whatever the URL asks for: an atomic job's rows must carry its own
        // transaction id as their xmin (see Shadow), not a subtransaction's.
        if (c.isWrapperFor(PGConnection.class)) {
            c.unwrap(PGConnection.class).setAutosave(AutoSave.NEVER);
        }
        return c;
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The connection is closed next; the server rolls back on its own.
        }
    }
}
