package dev.rotor.orchestrator.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.AuditLog;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.audit.AuditTransitions;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plan;
import dev.rotor.orchestrator.saga.Plans;
import dev.rotor.orchestrator.saga.ProgressMark;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.StepRun;
import dev.rotor.orchestrator.saga.StepStatus;
import dev.rotor.orchestrator.saga.WaveProgress;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Maps a {@link Saga} to its rows and back, and commits the engine's effects with it. Must run inside the caller's
 * transaction, so state, step rows, outbox rows and timers commit together.
 */
@ApplicationScoped
public class SagaStore {
    @Inject
    CatalogHolder catalog;
    @Inject
    EffectWriter effects;
    @Inject
    AuditLog audit;

    /** A loaded saga and the rows it came from. */
    public record Loaded(RotationEntity row, List<RotationStepEntity> steps, Saga saga) {
    }

    /** The base spec every command of a rotation repeats: catalog references, never material. */
    public static StepSpec baseSpec(SecretEntry entry, Strategy strategy, boolean dryRun) {
        return new StepSpec(entry.id(), entry.kind(), strategy, entry.generator(), entry.store(), entry.targets(),
                entry.credential(), entry.reencrypt(), null, null, false, dryRun);
    }

    /**
     * The steps whose workers report progress (reencrypt-worker's {@code step-progress}); only a rotation whose plan
     * has one can have a {@code rotation_progress} row, so only its load reads that table.
     */
    private static final Set<Step> REPORTS_PROGRESS = EnumSet.of(Step.REENCRYPT);

    /**
     * The rotation and its step rows in one round trip (an entity join: the step rows are not mapped as a collection,
     * so nothing else changes how they are written); then its progress row, only for a plan that reports progress.
     */
    public Uni<Loaded> load(UUID id) {
        return Panache.getSession().chain(session -> session.createQuery("select r, s from RotationEntity r"
                + " left join RotationStepEntity s on s.rotationId = r.id where r.id = ?1 order by s.idx",
                Object[].class).setParameter(1, id).getResultList()).chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().nullItem();
                    }
                    RotationEntity row = (RotationEntity) rows.get(0)[0];
                    List<RotationStepEntity> steps = new ArrayList<>(rows.size());
                    for (Object[] r : rows) {
                        if (r[1] != null) {
                            steps.add((RotationStepEntity) r[1]);
                        }
                    }
                    FrozenPlan frozen = frozen(row);
                    boolean reportsProgress = frozen.plan().steps().stream()
                            .anyMatch(step -> REPORTS_PROGRESS.contains(step.step()));
                    return (reportsProgress ? RotationProgressEntity.<RotationProgressEntity>findById(id)
                            : Uni.createFrom().<RotationProgressEntity>nullItem())
                            .map(progress -> new Loaded(row, steps, toSaga(row, frozen, steps, progress)));
                });
    }

    /**
     * Records a progress report the engine accepted as current: the rotation's latest progress and the step's
     * heartbeat. The rotation row is left alone, so a stream of reports never conflicts with replies and timers.
     */
    public Uni<Void> saveProgress(Loaded loaded, Instant now) {
        Saga s = loaded.saga();
        ProgressMark p = s.progress;
        StepRun run = s.run(p.step(), p.direction()).orElseThrow();
        loaded.steps().stream().filter(e -> e.step.equals(run.step.name()) && e.direction.equals(run.direction.name()))
                .findFirst().ifPresent(e -> e.heartbeatAt = run.heartbeatAt);
        return RotationProgressEntity.<RotationProgressEntity>findById(s.id).chain(found -> {
            RotationProgressEntity row = found != null ? found : new RotationProgressEntity();
            row.rotationId = s.id;
            row.step = p.step().name();
            row.direction = p.direction().name();
            row.attempt = p.attempt();
            row.done = p.done();
            row.total = p.total();
            row.rowsPerSecond = p.rowsPerSecond();
            row.etaSeconds = p.etaSeconds();
            row.updatedAt = p.updatedAt() != null ? p.updatedAt() : now;
            return (found != null ? Uni.createFrom().voidItem() : row.persist().replaceWithVoid())
                    .chain(() -> Panache.getSession().chain(session -> session.flush()));
        });
    }

    /** Writes the saga's state and step rows, then the effects as outbox and timer rows, then the audit entries. */
    public Uni<Void> save(Loaded loaded, List<Effect> out, Instant now) {
        return save(loaded, out, now, List.of());
    }

    /**
     * The same, with the audit entries of whoever caused this transition ({@code asked}: a request, an abort) written
     * before the entries of the transition itself.
     */
    public Uni<Void> save(Loaded loaded, List<Effect> out, Instant now, List<AuditRecord> asked) {
        return save(loaded, out, now, asked, false);
    }

    /**
     * Stores a rotation just accepted: its row, which holds the state it was requested in (REQUESTED, or WAITING),
     * is inserted already in the engine's state, with its step rows, effects and audit entries in the same flush. The
     * audit still records the move from the requested state, as {@link #save} would; it just costs no second write
     * of the row.
     */
    public Uni<Void> saveNew(Loaded loaded, List<Effect> out, Instant now, List<AuditRecord> asked) {
        return save(loaded, out, now, asked, true);
    }

    private Uni<Void> save(Loaded loaded, List<Effect> out, Instant now, List<AuditRecord> asked, boolean insert) {
        List<AuditRecord> transitions = AuditTransitions.between(loaded, now); // before the rows take the new state
        RotationEntity row = loaded.row();
        Saga s = loaded.saga();
        row.state = s.state.name();
        row.stepIndex = s.stepIndex;
        row.fromVersion = s.fromVersion;
        row.toVersion = s.toVersion;
        row.failedStep = s.failedStep == null ? null : s.failedStep.name();
        row.error = s.error;
        row.manualSteps = s.manualSteps.isEmpty() ? null : String.join("\n", s.manualSteps);
        row.completedAt = s.completedAt;
        row.result = s.result;
        row.retirementError = s.retirementError;
        if (s.affected != null) {
            row.affected = json(s.affected);
        }
        row.retireGate = RetireGates.write(s.gate);
        row.rollout = s.waves == null ? null : json(s.waves);
        row.updatedAt = now;
        List<Object> created = new ArrayList<>();
        if (insert) {
            created.add(row);
        }
        for (StepRun run : s.runs) {
            RotationStepEntity step = loaded.steps().stream()
                    .filter(e -> e.step.equals(run.step.name()) && e.direction.equals(run.direction.name()))
                    .findFirst().orElse(null);
            if (step == null) {
                step = newStep(row.id, run);
                created.add(step);
            }
            step.status = run.status.name();
            step.attempts = run.attempts;
            step.startedAt = run.startedAt;
            step.finishedAt = run.finishedAt;
            step.error = run.error;
            step.detail = run.detail;
            step.heartbeatAt = run.heartbeatAt;
        }
        return Panache.getSession()
                .chain(session -> session.persistAll(created.toArray()))
                .chain(() -> effects.write(s, out, now)) // flushes everything once
                .chain(() -> audit.append(asked, transitions)); // chained at commit, under the chain's lock
    }

    private static String json(Object value) {
        try {
            return RotorJson.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return RotorJson.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable " + type.getSimpleName() + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /**
     * Only for a rotation accepted before plans were frozen (no {@code frozen_plan}): today's plan and catalog entry,
     * as the orchestrator did then.
     */
    private FrozenPlan fromCatalog(RotationEntity row) {
        Strategy strategy = Strategy.fromCatalogName(row.strategy);
        Plan plan = Plans.forRotation(strategy, row.dryRun)
                .orElseThrow(() -> new IllegalStateException("strategy " + row.strategy + " has no plan"));
        SecretEntry entry = catalog.find(row.secretId).orElseThrow(() -> new IllegalStateException(
                "rotation " + row.id + ": secret " + row.secretId + " is no longer in the catalog, and the rotation"
                + " was accepted before plans were frozen"));
        return new FrozenPlan(plan, baseSpec(entry, strategy, row.dryRun), entry.graceDuration(), entry.drain(), null,
                List.of());
    }

    private static RotationStepEntity newStep(UUID rotationId, StepRun run) {
        RotationStepEntity e = new RotationStepEntity();
        e.id = UUID.randomUUID();
        e.rotationId = rotationId;
        e.idx = run.index;
        e.step = run.step.name();
        e.direction = run.direction.name();
        return e;
    }

    private FrozenPlan frozen(RotationEntity row) {
        return row.frozenPlan != null ? FrozenPlans.read(row.id, row.frozenPlan) : fromCatalog(row);
    }

    private static Saga toSaga(RotationEntity row, FrozenPlan frozen, List<RotationStepEntity> steps,
            RotationProgressEntity progress) {
        Saga s = new Saga(row.id, Trigger.valueOf(row.trigger), row.reason, frozen);
        s.state = RotationState.valueOf(row.state);
        s.stepIndex = row.stepIndex;
        s.fromVersion = row.fromVersion;
        s.toVersion = row.toVersion;
        s.failedStep = row.failedStep == null ? null : Step.valueOf(row.failedStep);
        s.error = row.error;
        s.manualSteps = row.manualSteps == null ? List.of() : List.of(row.manualSteps.split("\n"));
        s.completedAt = row.completedAt;
        s.result = row.result;
        s.retirementError = row.retirementError;
        s.gate = RetireGates.read(row.retireGate);
        s.waves = row.rollout == null ? null : read(row.rollout, WaveProgress.class);
        s.requestedBy = row.requestedBy;
        s.parentId = row.parentId;
        s.waitsFor = row.waitsFor;
        if (progress != null) {
            s.progress = new ProgressMark(Step.valueOf(progress.step), Direction.valueOf(progress.direction),
                    progress.attempt, progress.done, progress.total, progress.rowsPerSecond, progress.etaSeconds,
                    progress.updatedAt);
        }
        for (RotationStepEntity e : steps) {
            StepRun run = new StepRun(e.idx, Step.valueOf(e.step), Direction.valueOf(e.direction));
            run.status = StepStatus.valueOf(e.status);
            run.attempts = e.attempts;
            run.startedAt = e.startedAt;
            run.finishedAt = e.finishedAt;
            run.error = e.error;
            run.detail = e.detail;
            run.heartbeatAt = e.heartbeatAt;
            s.runs.add(run);
        }
        return s;
    }
}
