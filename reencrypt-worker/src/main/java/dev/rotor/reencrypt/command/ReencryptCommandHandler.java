package dev.rotor.reencrypt.command;

import dev.rotor.contracts.catalog.ReencryptSpec;
import dev.rotor.contracts.cipher.ActiveRecordCodec;
import dev.rotor.contracts.cipher.Codecs;
import dev.rotor.contracts.cipher.ColumnCodec;
import dev.rotor.contracts.cipher.MasterKey;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.reencrypt.engine.ColumnTarget;
import dev.rotor.reencrypt.engine.Database;
import dev.rotor.reencrypt.engine.Mode;
import dev.rotor.reencrypt.engine.ReencryptEngine;
import dev.rotor.reencrypt.engine.ReencryptException;
import dev.rotor.reencrypt.engine.ReencryptJob;
import dev.rotor.reencrypt.engine.ReencryptReport;
import dev.rotor.reencrypt.engine.RunControl;
import dev.rotor.reencrypt.engine.Shadow;
import dev.rotor.reencrypt.jobs.RotationLock;
import dev.rotor.reencrypt.jobs.WorkerBeans;
import dev.rotor.reencrypt.keys.KeyMaterialSource;
import dev.rotor.reencrypt.keys.KeyUnavailableException;
import dev.rotor.reencrypt.metrics.ReencryptMetrics;
import dev.rotor.reencrypt.scale.ChunkCoordinator;
import dev.rotor.reencrypt.scale.SignedCommand;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Performs one REENCRYPT command, on a job thread, and returns its reply. FORWARD re-encrypts the catalog entry's
 * columns from {@code fromVersion} to {@code toVersion}, writing the old ciphertexts to the rotation's
 * {@link Shadow}; COMPENSATE runs the same job with the keys swapped, then drops the shadow. A rollback's FORWARD
 * ({@code spec.undoOf} set: the versions are those of the rotation it undoes) restores that rotation's rows from its
 * shadow, re-encrypts what the application wrote since back to {@code fromVersion}, then drops the shadow.
 *
 * <p>An online FORWARD command on a large enough table is coordinated from here over every worker instance
 * ({@link ChunkCoordinator}): its chunks are de-duplicated on their rows in the target database's
 * {@code rotor.reencrypt_chunks}, keyed by (rotationId, direction, attempt, column, chunk), so a redelivered command
 * keeps its plan and runs only the chunks not done.
 *
 * <p>Across replicas, one job of a rotation runs at a time ({@link RotationLock}, in the target database): a command
 * that a rebalance hands to a second replica, or a compensation that reaches another replica than its forward job,
 * waits for the running one to end.
 *
 * <p>Idempotent by construction: rows already under the target key are recognised and left alone, so running a
 * command again (a redelivery after a crash) finishes what is left and changes nothing else. Duplicates that arrive
 * while a job runs are caught earlier, in {@link dev.rotor.reencrypt.jobs.JobRegistry}, on (rotationId, step,
 * attempt, direction).
 */
@ApplicationScoped
public class ReencryptCommandHandler {
    private static final Logger LOG = Logger.getLogger(ReencryptCommandHandler.class);

    @Inject
    ReencryptEngine engine;

    @Inject
    KeyMaterialSource keys;

    @Inject
    WorkerBeans beans;

    @Inject
    ReencryptMetrics metrics;

    @Inject
    ChunkCoordinator coordinator;

    /** Runs a command; an online one is spread over every worker instance ({@link ChunkCoordinator}). */
    public StepResult run(SignedCommand signed, RunControl control) {
        StepRequested command = signed.command();
        StepSpec spec = command.spec();
        boolean compensate = command.direction() == Direction.COMPENSATE;
        ReencryptSpec re = spec.reencrypt();
        if (re == null) {
            return compensate ? command.compensated("nothing to undo: secret " + spec.secretId()
                    + " has no reencrypt section") : command.failed(false, "secret " + spec.secretId()
                            + " has no reencrypt section in the catalog");
        }
        if (spec.fromVersion() == null || spec.toVersion() == null) {
            return compensate ? command.compensated("nothing to undo: no key versions were settled")
                    : command.failed(false, "REENCRYPT needs fromVersion and toVersion, got " + spec.fromVersion()
                            + " and " + spec.toVersion());
        }
        if (compensate && spec.dryRun()) {
            return command.compensated("nothing to undo: the forward step was a dry run");
        }
        if (compensate && spec.undoOf() != null) {
            return command.compensated("nothing to undo: a rollback is not rolled back");
        }
        long received = System.nanoTime();
        MasterKey from = null;
        MasterKey to = null;
        try {
            ColumnCodec codec = codec(re);
            ReencryptJob job = job(spec, re, codec, null, null); // validates the catalog part before the store
            // Both versions from one read of the store (the local store derives three keys per opening).
            Map<Integer, MasterKey> loaded = keys.loadAll(spec.store(),
                    List.of(spec.fromVersion(), spec.toVersion()), codec);
            from = loaded.get(spec.fromVersion());
            to = loaded.get(spec.toVersion());
            if (from == null) {
                throw KeyUnavailableException.noSuchVersion(spec.store(), spec.fromVersion());
            }
            if (to == null) {
                if (compensate) {
                    return command.compensated("nothing to undo: key version " + spec.toVersion()
                            + " does not exist, so no row can be under it");
                }
                throw KeyUnavailableException.noSuchVersion(spec.store(), spec.toVersion());
            }
            job = job(spec, re, codec, from, to);
            long keysLoaded = System.nanoTime();
            Database db = beans.datasource(re.datasource());
            // One job of a rotation at a time across every replica (a rollback's with the rotation it undoes).
            ReencryptReport report;
            try (RotationLock lock = RotationLock.acquire(db, spec.undoOf() != null ? spec.undoOf()
                    : command.rotationId(), control)) {
                if (spec.undoOf() != null) {
                    return undo(command, db, job, control);
                }
                String shadow = Shadow.tag(command.rotationId());
                report = coordinator.run(signed, db, compensate ? job.reversed() : job.shadowed(shadow), control);
                if (compensate) {
                    Shadow.drop(db, shadow); // the rows are back under the old key: nothing left to restore
                }
            }
            metrics.completed(spec.secretId(), command.direction(), report);
            LOG.infof("%s REENCRYPT of rotation %s (attempt %d): %s", command.direction(), command.rotationId(),
                    command.attempt(), report.summary());
            // Where the time went, for whoever compares a rotation with its database's floor.
            LOG.infof("REENCRYPT of rotation %s timing: keys loaded in %.2f s, engine %.2f s; %s",
                    command.rotationId(), (keysLoaded - received) / 1e9, report.elapsed().toMillis() / 1e3,
                    report.columns().stream().map(c -> c.column() + ": " + c.passes() + " pass(es), job thread "
                            + c.phases()).collect(java.util.stream.Collectors.joining("; ")));
            return compensate ? command.compensated(report.summary())
                    : command.succeeded(spec.fromVersion(), spec.toVersion(), report.summary());
        } catch (ReencryptException e) {
            return command.failed(e.retryable(), e.getMessage());
        } catch (KeyUnavailableException e) {
            return command.failed(e.retryable(), e.getMessage());
        } catch (IllegalArgumentException e) {
            // Catalog problems: identifiers, codec and mode names (their messages hold no material).
            return command.failed(false, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf("REENCRYPT of rotation %s failed unexpectedly: %s", command.rotationId(),
                    e.getClass().getName());
            return command.failed(true, "unexpected " + e.getClass().getSimpleName() + " in reencrypt-worker");
        } finally {
            destroy(from);
            destroy(to);
        }
    }

    /**
     * The command's job with both key versions read from the store, for a chunk of it; the caller destroys the keys.
     *
     * @throws KeyUnavailableException when the store does not hold both versions
     */
    public ReencryptJob loadJob(StepSpec spec) {
        ColumnCodec codec = codec(spec.reencrypt());
        job(spec, spec.reencrypt(), codec, null, null);
        Map<Integer, MasterKey> loaded = keys.loadAll(spec.store(), List.of(spec.fromVersion(), spec.toVersion()),
                codec);
        for (int version : List.of(spec.fromVersion(), spec.toVersion())) {
            if (loaded.get(version) == null) {
                loaded.values().forEach(ReencryptCommandHandler::destroy);
                throw KeyUnavailableException.noSuchVersion(spec.store(), version);
            }
        }
        return job(spec, spec.reencrypt(), codec, loaded.get(spec.fromVersion()), loaded.get(spec.toVersion()));
    }

    /** A rollback's REENCRYPT: the undone rotation's rows back from its shadow, then the shadow dropped. */
    private StepResult undo(StepRequested command, Database db, ReencryptJob job, RunControl control) {
        String shadow = Shadow.tag(command.spec().undoOf());
        ReencryptEngine.Restored restored = engine.restore(db, job.shadowed(shadow), control);
        Shadow.drop(db, shadow);
        LOG.infof("REENCRYPT of rollback %s (of rotation %s): %s", command.rotationId(), command.spec().undoOf(),
                restored.summary());
        return command.succeeded(command.spec().fromVersion(), command.spec().toVersion(), restored.summary());
    }

    private static ReencryptJob job(StepSpec spec, ReencryptSpec re, ColumnCodec codec, MasterKey from,
            MasterKey to) {
        var columns = (re.columns() == null ? java.util.List.<dev.rotor.contracts.catalog.ColumnSpec>of()
                : re.columns()).stream().map(ColumnTarget::of).toList();
        Mode mode = Mode.parse(re.mode());
        if (from == null) {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("reencrypt.columns is empty for secret " + spec.secretId());
            }
            return null;
        }
        return new ReencryptJob(codec, columns, mode, spec.dryRun(), from, to);
    }

    /** The catalog's codec; an {@code activerecord} one with its app's salt (datasource config) and digest. */
    private ColumnCodec codec(ReencryptSpec re) {
        ColumnCodec codec = Codecs.byName(re.codec() == null ? "lockbox" : re.codec());
        if (codec instanceof ActiveRecordCodec rails) {
            return rails.withDerivation(beans.keyDerivationSalt(re.datasource()),
                    ActiveRecordCodec.HashDigest.parse(re.hashDigest()));
        }
        return codec;
    }

    private static void destroy(MasterKey key) {
        if (key != null) {
            key.destroy();
        }
    }
}
