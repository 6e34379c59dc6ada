package dev.rotor.reencrypt.engine;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A job's reading connection and the one thread that uses it: keyset pages are read here, one ahead of the crypto,
 * while the job's thread writes on the writing connection. The connection is in autocommit and only reads, so each
 * page sees what is committed (see {@link ColumnPass}). A JDBC connection serves one statement at a time, which the
 * single thread guarantees.
 */
final class ReadAhead implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Connection connection;
    private final ExecutorService thread;

    ReadAhead(Database db) throws SQLException {
        this.connection = db.open();
        try {
            connection.setAutoCommit(true);
            connection.setReadOnly(true);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rotor-read-ahead-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** For statements prepared on the reading connection; use them only through {@link #next}. */
    Connection connection() {
        return connection;
    }

    /** The page after {@code lastId} (null: the first), read on the reading thread. */
    CompletableFuture<Chunk> next(ChunkReader reader, Object lastId, ColumnTarget col) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return reader.next(lastId);
            } catch (SQLException e) {
                throw SqlErrors.wrap("reading " + col.name(), e);
            }
        }, thread);
    }

    /** Waits for a read or a transform that a failed pass leaves behind, and wipes what it decrypted. */
    static void settle(CompletableFuture<Chunk> f) {
        if (f == null) {
            return;
        }
        try {
            f.join().wipe();
        } catch (RuntimeException ignored) {
            // The pass already failed with its own error.
        }
    }

    @Override
    public void close() throws SQLException {
        thread.shutdownNow();
        connection.close();
    }
}
