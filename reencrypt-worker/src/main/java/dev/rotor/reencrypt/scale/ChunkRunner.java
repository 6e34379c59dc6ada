package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.command.ReencryptCommandHandler;
import dev.rotor.reencrypt.engine.ColumnReport;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.Mode;
import dev.rotor.reencrypt.engine.Progress;
import dev.rotor.reencrypt.engine.ReencryptEngine;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.ReencryptJob;
import dev.rotor.reencrypt.engine.Shadow;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.jobs.WorkerBeans;
import dev.rotor.reencrypt.keys.KeyUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one chunk on this worker: the engine's online pass over the chunk's key range, under the chunk's advisory
 * lock ({@link ChunkTable}), then the chunk marked done with its counts. Idempotent: a chunk already done or cancelled
 * is acknowledged without work, and running a chunk again after a crash is harmless, since every write is
 * compare-and-set on the old value and rows already under the target key are left alone.
 */
@ApplicationScoped
public class ChunkRunner {
    private static final Logger LOG = Logger.getLogger(ChunkRunner.class);
    private static final String WORKER = ProcessHandle.current().pid() + "@" + host();

    @Inject
    ReencryptEngine engine;

    @Inject
    ReencryptCommandHandler handler;

    @Inject
    WorkerBeans beans;

    @Inject
    ChunkKeys keys;

    /**
     * @throws PoisonChunkException when the record cannot name a chunk to run (not an online REENCRYPT command, an
     *     unknown datasource or column, a chunk never recorded): it goes to the dead-letter topic
     * @throws ReencryptException when the chunk table cannot be read or written (the record is not acknowledged)
     */
    public void run(StepRequested command, ChunkKey key) {
        ReencryptSpec re = command.spec().reencrypt();
        if (command.step() != Step.REENCRYPT || re == null || Mode.parse(re.mode()) != Mode.ONLINE
                || command.spec().dryRun() || command.spec().fromVersion() == null
                || command.spec().toVersion() == null) {
            throw new PoisonChunkException("a chunk record must carry an online REENCRYPT command that writes, with"
                    + " both key versions; rotation " + command.rotationId() + " " + command.step() + " is not one");
        }
        Database db;
        try {
            db = beans.datasource(re.datasource());
        } catch (ReencryptException e) {
            throw new PoisonChunkException(e.getMessage());
        }
        try (Connection claim = db.open()) {
            Optional<ChunkTable.Row> row = ChunkTable.exists(claim) ? ChunkTable.get(claim, key) : Optional.empty();
            if (row.isEmpty()) {
                throw new PoisonChunkException(key + " is not recorded in rotor.reencrypt_chunks of datasource "
                        + re.datasource());
            }
            long id = row.get().id();
            if (row.get().state() != ChunkTable.State.PENDING && row.get().state() != ChunkTable.State.RUNNING) {
                return; // done, cancelled, or failed (its coordinator decides whether it runs again)
            }
            ChunkTable.lock(claim, id); // waits while another worker runs it
            try {
                ChunkTable.State state = ChunkTable.state(claim, id);
                if (state != ChunkTable.State.PENDING && state != ChunkTable.State.RUNNING) {
                    return;
                }
                ChunkTable.running(claim, id, WORKER);
                execute(claim, command, key, row.get(), db);
            } finally {
                ChunkTable.unlock(claim, id);
            }
        } catch (SQLException e) {
            throw new ReencryptException("cannot claim " + key + " in rotor.reencrypt_chunks: " + e.getMessage()
                    + " [SQLState " + e.getSQLState() + "]", true, e);
        }
    }

    private void execute(Connection claim, StepRequested command, ChunkKey key, ChunkTable.Row row, Database db)
            throws SQLException {
        try (ChunkKeys.Lease lease = keys.acquire(command, () -> handler.loadJob(command.spec()))) {
            ReencryptJob job = lease.job();
            if (key.column() >= job.columns().size()) {
                ChunkTable.failed(claim, row.id(), "the command has no column " + key.column(), false);
                return;
            }
            long t = System.nanoTime();
            // A forward chunk writes the old ciphertexts of its rows to the rotation's shadow, in each page's
            // transaction, as a whole-column run does.
            ColumnReport report = engine.runRange(db, command.direction() == Direction.COMPENSATE ? job.reversed()
                    : job.shadowed(Shadow.tag(command.rotationId())), key.column(), row.range(),
                    control(claim, row.id()));
            ChunkTable.done(claim, row.id(), report);
            LOG.infof("%s %s %s done in %.2f s: %s", key, row.columnName(), row.range(), (System.nanoTime() - t) / 1e9,
                    report);
        } catch (ReencryptException e) {
            ChunkTable.failed(claim, row.id(), e.getMessage(), e.retryable());
        } catch (KeyUnavailableException e) {
            ChunkTable.failed(claim, row.id(), e.getMessage(), e.retryable());
        } catch (IllegalArgumentException e) {
            ChunkTable.failed(claim, row.id(), e.getMessage(), false);
        }
    }

    /** Progress into the chunk's row (the coordinator sums the rows); a cancelled chunk stops after its page. */
    private static RunControl control(Connection claim, long id) {
        return new RunControl() {
            private boolean cancelled;

            @Override
            public void onProgress(Progress p) {
                try {
                    ChunkTable.progress(claim, id, p.done());
                    cancelled = ChunkTable.state(claim, id) == ChunkTable.State.CANCELLED;
                } catch (SQLException e) {
                    throw new ReencryptException("cannot record the progress of chunk row " + id + ": "
                            + e.getMessage(), true, e);
                }
            }

            @Override
            public boolean cancelled() {
                return cancelled || Thread.currentThread().isInterrupted();
            }
        };
    }

    private static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
