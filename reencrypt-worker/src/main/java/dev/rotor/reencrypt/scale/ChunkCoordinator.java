package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.config.ReencryptConfig;
import dev.rotor.reencrypt.engine.ChunkPlanner;
import dev.rotor.reencrypt.engine.ColumnReport;
import dev.rotor.reencrypt.engine.ColumnTarget;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.KeyRange;
import dev.rotor.reencrypt.engine.Mode;
import dev.rotor.reencrypt.engine.ReencryptEngine;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.ReencryptJob;
import dev.rotor.reencrypt.engine.ReencryptReport;
import dev.rotor.reencrypt.engine.RunControl;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Runs an online REENCRYPT over every worker instance (issue 14 §2). The worker that got the command coordinates:
 * <ol>
 * <li>the pre-flight, so a wrong source key still aborts before any write;</li>
 * <li>a plan of key ranges per column ({@link ChunkPlanner}), recorded in {@link ChunkTable} unless this command
 * (rotation, direction, attempt) has one already: a redelivered command keeps its plan and skips its done chunks;</li>
 * <li>one record per unfinished chunk on {@code rotor.reencrypt-chunks}, which every worker's {@link ChunkConsumer}
 * takes from, this one included;</li>
 * <li>a wait until every chunk is done ({@link ChunkWatch}), publishing progress summed over all of them;</li>
 * <li>the verification passes over the whole columns, here, and the reply.</li>
 * </ol>
 * A table too small for two chunks, an atomic job, a dry run, and a compensation (which waits first for the
 * rotation's forward chunks to stop, cancelling those not yet done) run here, whole, as before.
 */
@ApplicationScoped
public class ChunkCoordinator {
    private static final Logger LOG = Logger.getLogger(ChunkCoordinator.class);

    @Inject
    ReencryptEngine engine;

    @Inject
    ChunkPublisher publisher;

    @Inject
    ReencryptConfig config;

    @Inject
    ChunkKeys keys;

    public ReencryptReport run(SignedCommand signed, Database db, ReencryptJob job, RunControl control) {
        StepRequested command = signed.command();
        if (command.direction() == Direction.COMPENSATE) {
            stopForwardChunks(db, command);
            return engine.run(db, job, control);
        }
        if (job.mode() != Mode.ONLINE || job.dryRun() || signed.headers() == null
                || config.scaleOut().chunks() < 2) {
            return engine.run(db, job, control);
        }
        List<Long> rows = engine.preflight(db, job);
        List<ChunkTable.Row> chunks = plan(db, command, job, rows);
        if (chunks.isEmpty()) {
            return engine.run(db, job, control);
        }
        LOG.infof("REENCRYPT of rotation %s (attempt %d): coordinating %d chunks over the workers",
                command.rotationId(), command.attempt(), chunks.size());
        List<ChunkTable.Row> done;
        // This worker's chunks use the keys read for this command already (a local store opening costs about as
        // much as a chunk's first page).
        try (ChunkKeys.Lease shared = keys.share(command, job)) {
            publisher.publishAll(signed, chunks.stream().filter(c -> c.state() != ChunkTable.State.DONE).toList());
            done = new ChunkWatch(publisher, config.scaleOut()).await(signed, db, chunks.size(),
                    rows.stream().mapToLong(Long::longValue).sum(), control);
        }
        List<ColumnReport> totals = new ArrayList<>();
        for (int i = 0; i < job.columns().size(); i++) {
            int column = i;
            List<ChunkTable.Row> of = done.stream().filter(c -> c.key().column() == column).toList();
            totals.add(ColumnReport.ofChunks(job.columns().get(i).name(), sum(of, ChunkTable.Row::rows),
                    sum(of, ChunkTable.Row::rewritten), sum(of, ChunkTable.Row::alreadyUnderTarget),
                    sum(of, ChunkTable.Row::undecryptable),
                    of.stream().flatMap(c -> c.undecryptableIds().stream()).toList()));
        }
        LOG.infof("REENCRYPT of rotation %s (attempt %d): %d chunks done over the workers; verifying the columns",
                command.rotationId(), command.attempt(), done.size());
        return engine.verifyChunked(db, job, totals, control);
    }

    /** The command's recorded chunks, or a new plan; empty when every column is small enough for one chunk. */
    private List<ChunkTable.Row> plan(Database db, StepRequested command, ReencryptJob job, List<Long> rows) {
        try (Connection c = db.open()) {
            if (ChunkTable.exists(c)) {
                List<ChunkTable.Row> recorded = ChunkTable.list(c, command.rotationId(), command.direction(),
                        command.attempt());
                if (!recorded.isEmpty()) {
                    LOG.infof("REENCRYPT of rotation %s (attempt %d) again: %d of its %d chunks are done already",
                            command.rotationId(), command.attempt(),
                            recorded.stream().filter(r -> r.state() == ChunkTable.State.DONE).count(),
                            recorded.size());
                    return recorded;
                }
            }
            List<List<KeyRange>> ranges = new ArrayList<>();
            for (int i = 0; i < job.columns().size(); i++) {
                ranges.add(ChunkPlanner.plan(db, job.columns().get(i), rows.get(i), config.scaleOut().chunks(),
                        config.scaleOut().minRowsPerChunk()));
            }
            if (ranges.stream().allMatch(r -> r.size() == 1)) {
                return List.of();
            }
            ChunkTable.ensure(c);
            for (int i = 0; i < ranges.size(); i++) {
                ColumnTarget col = job.columns().get(i);
                for (int n = 0; n < ranges.get(i).size(); n++) {
                    ChunkTable.plan(c, ChunkKey.of(command, i, n), col.name(), ranges.get(i).get(n));
                }
            }
            return ChunkTable.list(c, command.rotationId(), command.direction(), command.attempt());
        } catch (SQLException e) {
            throw new ReencryptException("cannot record the chunks of rotation " + command.rotationId()
                    + " in rotor.reencrypt_chunks: " + e.getMessage() + " [SQLState " + e.getSQLState() + "]",
                    dev.rotor.reencrypt.engine.SqlErrors.retryable(e.getSQLState()), e);
        }
    }

    /**
     * Before a compensation writes: the rotation's forward chunks that are not done are cancelled, and this waits
     * until no worker runs one any more (each stops after its current page), so the way back never races them.
     */
    private static void stopForwardChunks(Database db, StepRequested command) {
        try (Connection c = db.open()) {
            if (!ChunkTable.exists(c)) {
                return;
            }
            List<Long> cancelled = ChunkTable.cancel(c, command.rotationId(), Direction.FORWARD);
            for (long id : cancelled) {
                ChunkTable.lock(c, id);
                ChunkTable.unlock(c, id);
            }
            if (!cancelled.isEmpty()) {
                LOG.infof("compensation of rotation %s: %d forward chunks cancelled and stopped", command.rotationId(),
                        cancelled.size());
            }
        } catch (SQLException e) {
            throw new ReencryptException("cannot stop the forward chunks of rotation " + command.rotationId() + ": "
                    + e.getMessage() + " [SQLState " + e.getSQLState() + "]", true, e);
        }
    }

    private static long sum(List<ChunkTable.Row> rows, java.util.function.ToLongFunction<ChunkTable.Row> f) {
        return rows.stream().mapToLong(f).sum();
    }
}
