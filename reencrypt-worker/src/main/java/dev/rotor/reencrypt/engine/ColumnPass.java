package dev.rotor.reencrypt.engine;

import dev.rotor.contracts.cipher.ColumnKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One column of one job: the pre-flight sample and the keyset passes. The pages are read on a connection of their own
 * (the job's reading connection), one page ahead, on the job's reading thread: while the job's writing connection
 * writes page k, the pool works on page k+1 and the reading connection reads page k+2. So the job's thread only
 * writes, as the database's COPY floor does, and the reads and the crypto run beside it.
 *
 * <p>Reading on another connection reads what is committed. In atomic mode that is the rows as they were before the
 * job: the writing transaction holds the table's EXCLUSIVE lock (which lets readers in) before the first read, so no
 * one else writes, and its own writes are invisible to the reader until the commit. In online mode it is the rows as
 * the application and the committed chunks left them, which is what each chunk's compare-and-set expects.
 */
final class ColumnPass {
    private static final int CAS_ATTEMPTS = 3;

    final ColumnTarget col;
    final ColumnKey source;
    final ColumnKey target;
    final ColumnReport report;
    private final Connection c;
    private final ReadAhead reads;
    private final RowCrypto crypto;
    private final EngineSettings settings;
    private final Mode mode;
    private final KeyRange range;

    ColumnPass(Connection c, ReadAhead reads, RowCrypto crypto, EngineSettings settings, Mode mode,
            ColumnTarget col, ColumnKey source, ColumnKey target) {
        this(c, reads, crypto, settings, mode, col, source, target, KeyRange.ALL);
    }

    /** A pass over the ids in {@code range} only: one scale-out chunk of the column. */
    ColumnPass(Connection c, ReadAhead reads, RowCrypto crypto, EngineSettings settings, Mode mode,
            ColumnTarget col, ColumnKey source, ColumnKey target, KeyRange range) {
        this.range = range;
        this.c = c;
        this.reads = reads;
        this.crypto = crypto;
        this.settings = settings;
        this.mode = mode;
        this.col = col;
        this.source = source;
        this.target = target;
        this.report = new ColumnReport(col.name());
    }

    /** Fails, naming the first row, when the sample shows the source key is not the one the rows are under. */
    void preflight() throws SQLException {
        try (ChunkReader reader = new ChunkReader(reads.connection(), col, settings.chunkSize())) {
            Chunk sample = join(crypto.transform(reader.first(Math.max(1, settings.sampleSize())), source, target,
                    false));
            int bad = sample.count(Chunk.UNDECRYPTABLE);
            boolean refuse = settings.policy() == UndecryptablePolicy.ABORT ? bad > 0 : bad > 0 && bad == sample.size;
            for (int i = 0; refuse && i < sample.size; i++) {
                if (sample.state[i] == Chunk.UNDECRYPTABLE) {
                    throw new ReencryptException("pre-flight: row " + sample.idTexts[i] + " of table "
                            + col.tableName() + " (column " + col.name() + ") does not decrypt with key version "
                            + source.keyVersion() + ": " + sample.reasons[i] + "; nothing was written", false);
                }
            }
            sample.wipe();
        }
    }

    /**
     * One keyset pass over the column.
     *
     * @param writer null for a dry run
     * @param firstPass counts rows into the report (later online passes only verify and catch up)
     * @return rows rewritten or left for the next pass because the application kept changing them
     */
    long pass(ChunkWriter writer, boolean targetFirst, boolean firstPass, ProgressMeter meter, RunControl control)
            throws SQLException {
        long changed = 0;
        // Atomic mode checks that the database holds every written row exactly as it was sent (and verified), before
        // the commit: the UPDATE returns the comparison, made on the server.
        boolean readBack = mode == Mode.ATOMIC && writer != null;
        // The reading connection reads the pages ahead; the writing connection reads again the rows a compare-and-set
        // missed (online mode), after its commit.
        try (ChunkReader ahead = new ChunkReader(reads.connection(), col, settings.chunkSize(), range);
                ChunkReader reader = new ChunkReader(c, col, settings.chunkSize(), range)) {
            long t = System.nanoTime();
            Chunk read = join(reads.next(ahead, null, col));
            report.readNanos += System.nanoTime() - t;
            CompletableFuture<Chunk> pending = read.size == 0 ? null
                    : crypto.transform(read, source, target, targetFirst);
            CompletableFuture<Chunk> reading = read.size < settings.chunkSize() ? null
                    : reads.next(ahead, read.lastId(), col);
            try {
                while (pending != null) {
                    if (control.cancelled()) {
                        throw new ReencryptException("cancelled during " + col.name() + " after " + report.rewritten
                                + " rows", true);
                    }
                    t = System.nanoTime();
                    Chunk done = join(pending);
                    long t1 = System.nanoTime();
                    report.cryptoWaitNanos += t1 - t;
                    Chunk next = reading == null ? null : join(reading);
                    report.readNanos += System.nanoTime() - t1; // what the job thread waited for the read-ahead
                    pending = next == null || next.size == 0 ? null
                            : crypto.transform(next, source, target, targetFirst);
                    reading = next == null || next.size < settings.chunkSize() ? null
                            : reads.next(ahead, next.lastId(), col);
                    account(done, firstPass);
                    if (writer == null) {
                        report.rewritten += done.count(Chunk.REWRITE);
                    } else {
                        changed += write(reader, writer, done, targetFirst);
                        control.afterChunkWritten(col, report.rewritten);
                        if (readBack) {
                            readBack(done);
                        }
                        if (mode == Mode.ONLINE) {
                            t = System.nanoTime();
                            c.commit();
                            writer.committed();
                            report.commitNanos += System.nanoTime() - t;
                        }
                    }
                    done.wipe();
                    meter.advance(done.size);
                }
            } finally {
                // A failed or cancelled pass leaves no read running on the reading connection behind it.
                ReadAhead.settle(reading);
                ReadAhead.settle(pending);
            }
        }
        report.passes++;
        if (writer != null) {
            report.copyNanos = writer.copyNanos;
            report.updateNanos = writer.updateNanos;
        }
        return changed;
    }

    private long write(ChunkReader reader, ChunkWriter writer, Chunk chunk, boolean targetFirst)
            throws SQLException {
        long rewrites = chunk.count(Chunk.REWRITE);
        Chunk current = chunk;
        for (int attempt = 0; ; attempt++) {
            int wanted = current.count(Chunk.REWRITE);
            int written = writer.write(current);
            report.rewritten += written;
            if (written == wanted) {
                return rewrites;
            }
            if (mode == Mode.ATOMIC) {
                throw new ReencryptException(col.name() + ": " + (wanted - written) + " rows changed during an atomic"
                        + " run although the table is locked; rolled back", true);
            }
            report.casRetries += wanted - written;
            if (attempt == CAS_ATTEMPTS) {
                return rewrites; // the verification pass catches them up
            }
            current = reread(reader, writer, current, targetFirst);
        }
    }

    // The application changed these rows between our read and our write: read them again and redo them.
    private Chunk reread(ChunkReader reader, ChunkWriter writer, Chunk chunk, boolean targetFirst)
            throws SQLException {
        Set<Integer> taken = new HashSet<>();
        for (int k = 0; k < writer.writtenCount; k++) {
            taken.add(writer.writtenRows[k]);
        }
        Set<String> missed = new HashSet<>();
        for (int i = 0; i < chunk.size; i++) {
            if (chunk.state[i] == Chunk.REWRITE && !taken.contains(i)) {
                missed.add(chunk.idTexts[i]);
            }
        }
        Chunk again = reader.range(chunk.firstId(), chunk.lastId(), missed);
        chunk.wipe();
        Chunk out = join(crypto.transform(again, source, target, targetFirst)); // online mode only
        account(out, false);
        return out;
    }

    /** Atomic mode: a row the database does not hold as written aborts the run (rolled back). */
    private void readBack(Chunk chunk) {
        for (int i = 0; i < chunk.size; i++) {
            if (chunk.state[i] == Chunk.REWRITE && !chunk.storedAsWritten[i]) {
                throw new ReencryptException("verification failed: row " + chunk.idTexts[i] + " of table "
                        + col.tableName() + " (column " + col.name() + ") does not read back from the database as"
                        + " the value written under key version " + target.keyVersion() + "; rolled back, nothing"
                        + " was written", false);
            }
        }
    }

    private ReencryptException verificationFailed(int i, Chunk chunk) {
        return new ReencryptException("verification failed: row " + chunk.idTexts[i] + " of table "
                + col.tableName() + " (column " + col.name() + ") does not decrypt under key version "
                + target.keyVersion() + " to the value it was encrypted from; nothing of this chunk was written",
                false);
    }

    private void account(Chunk chunk, boolean firstPass) {
        if (firstPass) {
            report.rows += chunk.size;
            report.alreadyUnderTarget += chunk.count(Chunk.UNDER_TARGET);
        }
        for (int i = 0; i < chunk.size; i++) {
            if (chunk.state[i] == Chunk.VERIFY_FAILED) {
                throw verificationFailed(i, chunk);
            }
            if (chunk.state[i] != Chunk.UNDECRYPTABLE) {
                continue;
            }
            if (settings.policy() == UndecryptablePolicy.ABORT) {
                throw new ReencryptException("row " + chunk.idTexts[i] + " of table " + col.tableName() + " (column "
                        + col.name() + ") does not decrypt with key version " + source.keyVersion() + " nor "
                        + target.keyVersion() + ": " + chunk.reasons[i] + (mode == Mode.ATOMIC
                                ? "; nothing was written" : "; earlier chunks stay committed, a retry skips them"),
                        false);
            }
            if (firstPass) {
                report.undecryptable(chunk.idTexts[i]);
            }
        }
    }

    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }
}
