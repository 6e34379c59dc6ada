package dev.rotor.reencrypt.scale;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.reencrypt.config.ReencryptConfig;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.Progress;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.RunControl;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The coordinator's wait for one job's chunks: it reads their rows every poll interval, publishes their summed
 * progress (only when it grew, so a stuck job still meets the step's timeout), runs a chunk that failed for a
 * transient reason again, publishes again the chunks nobody holds when nothing moved for the stall timeout, and
 * stops the job on a failure, a cancellation or a compensation.
 */
final class ChunkWatch {
    private static final Logger LOG = Logger.getLogger(ChunkWatch.class);
    /** A chunk that failed for a transient reason is run again this often before the step fails (retryable). */
    private static final int CHUNK_RETRIES = 3;

    private final ChunkPublisher publisher;
    private final ReencryptConfig.ScaleOut settings;

    ChunkWatch(ChunkPublisher publisher, ReencryptConfig.ScaleOut settings) {
        this.publisher = publisher;
        this.settings = settings;
    }

    /** Polls the chunk table until every chunk is done; reports summed progress. */
    List<ChunkTable.Row> await(SignedCommand signed, Database db, int count, long rows,
            RunControl control) {
        StepRequested command = signed.command();
        long started = System.nanoTime();
        long lastDone = 0;
        long reported = -1;
        String lastSeen = "";
        long lastChange = System.nanoTime();
        int republished = 0;
        Map<Long, Integer> retries = new HashMap<>();
        try (Connection c = db.open()) {
            while (true) {
                List<ChunkTable.Row> chunks = ChunkTable.list(c, command.rotationId(), command.direction(),
                        command.attempt());
                if (control.cancelled()) {
                    ChunkTable.cancel(c, command.rotationId(), command.direction());
                    throw new ReencryptException("cancelled while chunks were running; chunks done stay done", true);
                }
                for (ChunkTable.Row chunk : chunks) {
                    if (chunk.state() == ChunkTable.State.CANCELLED) {
                        throw new ReencryptException(chunk.key() + " was cancelled (a compensation of the rotation"
                                + " started)", false);
                    }
                    if (chunk.state() == ChunkTable.State.FAILED) {
                        int tried = retries.merge(chunk.id(), 1, Integer::sum);
                        if (!chunk.retryable() || tried > CHUNK_RETRIES) {
                            ChunkTable.cancel(c, command.rotationId(), command.direction());
                            throw new ReencryptException(chunk.columnName() + " " + chunk.key() + " " + chunk.range()
                                    + " failed: " + chunk.error(), chunk.retryable());
                        }
                        LOG.warnf("%s failed (%s); running it again", chunk.key(), chunk.error());
                        ChunkTable.reopen(c, chunk.id());
                        publisher.publishAll(signed, List.of(chunk));
                    }
                }
                long total = chunks.stream().mapToLong(ChunkTable.Row::rowsDone).sum();
                lastDone = Math.max(lastDone, total);
                boolean allDone = chunks.size() == count
                        && chunks.stream().allMatch(r -> r.state() == ChunkTable.State.DONE);
                if (allDone) {
                    report(control, started, rows, lastDone);
                    return chunks;
                }
                String seen = total + chunks.stream().map(r -> r.state().name()).toList().toString();
                if (!seen.equals(lastSeen)) {
                    lastSeen = seen;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > settings.stallTimeout().toNanos()) {
                    // Nothing moved: a record may be lost (dead-lettered while its database was away). Chunks that
                    // no worker runs are published again; a duplicate of a live one only waits and finds it done.
                    if (++republished > CHUNK_RETRIES) {
                        throw new ReencryptException("no chunk of rotation " + command.rotationId() + " made progress"
                                + " for " + settings.stallTimeout().toSeconds() + " s, "
                                + CHUNK_RETRIES + " times; are the workers' chunk consumers running?", true);
                    }
                    List<ChunkTable.Row> idle = new ArrayList<>();
                    for (ChunkTable.Row chunk : chunks) {
                        if (chunk.state() != ChunkTable.State.DONE && !ChunkTable.isRunning(c, chunk.id())) {
                            idle.add(chunk);
                        }
                    }
                    LOG.warnf("rotation %s: no chunk progressed for %d s; publishing %d idle chunks again",
                            command.rotationId(), settings.stallTimeout().toSeconds(), idle.size());
                    publisher.publishAll(signed, idle);
                    lastChange = System.nanoTime();
                    continue;
                }
                if (lastDone != reported) { // only real progress, which renews the step's timeout
                    reported = lastDone;
                    report(control, started, rows, lastDone);
                }
                Thread.sleep(settings.pollInterval().toMillis());
            }
        } catch (SQLException e) {
            throw new ReencryptException("cannot read the chunks of rotation " + command.rotationId() + ": "
                    + e.getMessage() + " [SQLState " + e.getSQLState() + "]", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReencryptException("interrupted while chunks were running", true, e);
        }
    }

    // As in a run on one worker: the verification pass reads every row again, so the work is twice the rows.
    private static void report(RunControl control, long started, long rows, long done) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        double rate = Math.round(done / seconds * 10) / 10.0;
        long work = 2 * Math.max(rows, done);
        control.onProgress(new Progress(done, work, rate, rate > 0 ? Math.round((work - done) / rate) : null));
    }
}
