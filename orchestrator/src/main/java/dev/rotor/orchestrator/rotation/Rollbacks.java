package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.persistence.FrozenPlans;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.FrozenPlan;
import dev.rotor.orchestrator.saga.Plan;
import dev.rotor.orchestrator.saga.Plans;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.SagaEngine;
import dev.rotor.orchestrator.saga.TimerKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts the rollback of a COMPLETED rotation (issue 14 §3): a rotation of its own, trigger {@code ROLLBACK}, whose
 * {@code parentId} is the rotation it undoes, running {@link Plans#rollback} with that rotation's frozen spec and
 * versions. Allowed while the rotation's previous version is kept (its retention: until the retirement starts);
 * accepting it cancels that retirement, since the version becomes current again. One transaction: the new row, its
 * first command, the cancelled timers and the audit entry commit together.
 */
@ApplicationScoped
public class Rollbacks {
    private static final Logger LOG = Logger.getLogger(Rollbacks.class);

    @Inject
    SagaStore store;
    @Inject
    SagaEngineProvider engines;
    @Inject
    AfterCommit afterCommit;

    /** Why a rollback was refused; the REST layer maps each to its status. */
    public enum Refusal {
        /** No such rotation: 404. */
        NOT_FOUND,
        /** Not COMPLETED, already rolled back, its previous version retired, or its secret busy: 409. */
        CONFLICT,
        /** Its plan has nothing to roll back (a rehearsal, a rollback, no previous version kept): 422. */
        NOTHING_TO_ROLL_BACK
    }

    /** A refused rollback. Its message names the reason; never material. */
    public static final class Refused extends RuntimeException {
        private final Refusal kind;

        Refused(Refusal kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }

        public Refusal kind() {
            return kind;
        }
    }

    /**
     * The rollbacks of {@code rotationId} that ran or run (any state but ROLLED_BACK: a rollback that was itself
     * stopped before it restored anything does not count), in the caller's transaction.
     */
    static Uni<List<RotationEntity>> rollbacksOf(UUID rotationId) {
        return RotationEntity.list("parentId = ?1 and trigger = ?2 and state <> ?3", rotationId,
                Trigger.ROLLBACK.name(), RotationState.ROLLED_BACK.name());
    }

    /** Starts the rollback of {@code rotationId}; the new rotation's row. Fails with {@link Refused}. */
    public Uni<RotationEntity> rollback(UUID rotationId, Actor by, String reason) {
        return Transactions.inTransaction(() -> store.load(rotationId).chain(loaded -> {
            if (loaded == null) {
                throw new Refused(Refusal.NOT_FOUND, "no rotation with id " + rotationId);
            }
            Saga undone = loaded.saga();
            Plan plan = plannable(undone);
            return rollbacksOf(rotationId).chain(earlier -> {
                        if (!earlier.isEmpty()) {
                            throw new Refused(Refusal.CONFLICT, "rotation " + rotationId + " is already rolled back"
                                    + " (rollback " + earlier.get(0).id + ", " + earlier.get(0).state + ")");
                        }
                        return RotationEntity.<RotationEntity>list("secretId = ?1 and state in ?2",
                                undone.secretId(), RotationService.activeStates());
                    }).chain(active -> {
                        if (!active.isEmpty()) {
                            throw new Refused(Refusal.CONFLICT, "a rotation of '" + undone.secretId()
                                    + "' is already active (" + active.get(0).id + ")");
                        }
                        return start(undone, plan, by, reason);
                    });
        })).onFailure(f -> Transactions.violates(f, RotationService.ONE_ACTIVE_INDEX))
                .transform(f -> new Refused(Refusal.CONFLICT, "a rotation of this secret is already active"))
                .invoke(afterCommit::run);
    }

    private static Plan plannable(Saga undone) {
        if (undone.trigger == Trigger.ROLLBACK) {
            throw new Refused(Refusal.NOTHING_TO_ROLL_BACK, "rotation " + undone.id + " is itself a rollback");
        }
        Optional<Plan> plan = Plans.rollback(undone.plan);
        if (plan.isEmpty()) {
            throw new Refused(Refusal.NOTHING_TO_ROLL_BACK, "rotation " + undone.id + " (plan " + undone.plan.name()
                    + (undone.plan.dryRun() ? ", a dry run" : "") + ") kept no previous version to go back to");
        }
        if (undone.state != RotationState.COMPLETED) {
            throw new Refused(Refusal.CONFLICT, "rotation " + undone.id + " is " + undone.state
                    + "; only a COMPLETED rotation can be rolled back");
        }
        if (!SagaEngine.retirementPending(undone)) {
            throw new Refused(Refusal.CONFLICT, "the previous version " + undone.fromVersion + " of rotation "
                    + undone.id + " is retired or retiring: past its retention, it cannot be rolled back");
        }
        return plan.get();
    }

    private Uni<RotationEntity> start(Saga undone, Plan plan, Actor by, String reason) {
        Instant now = Instant.now();
        UUID id = UUID.randomUUID();
        FrozenPlan frozen = new FrozenPlan(plan, undone.baseSpec.undoing(undone.id), undone.grace, null, null,
                undone.reload);
        Saga saga = new Saga(id, Trigger.ROLLBACK, reason, frozen);
        saga.fromVersion = undone.fromVersion;
        saga.toVersion = undone.toVersion;
        saga.requestedBy = by.subject();
        saga.parentId = undone.id;
        RotationEntity row = new RotationEntity();
        row.id = id;
        row.secretId = undone.secretId();
        row.strategy = undone.baseSpec.strategy().catalogName();
        row.trigger = Trigger.ROLLBACK.name();
        row.reason = reason;
        row.requestedBy = by.subject();
        row.parentId = undone.id;
        row.state = RotationState.REQUESTED.name();
        row.requestedAt = now;
        row.updatedAt = now;
        row.frozenPlan = FrozenPlans.write(frozen);
        List<Effect> effects = new ArrayList<>(engines.engine().acceptAndBegin(saga, now));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("trigger", Trigger.ROLLBACK.name());
        detail.put("strategy", row.strategy);
        detail.put("plan", plan.name());
        detail.put("rollbackOf", undone.id.toString());
        detail.put("version", undone.fromVersion);
        detail.put("state", saga.state.name());
        AuditRecord asked = new AuditRecord(now, AuditKinds.ROTATION_REQUESTED, by, reason, row.secretId, id, detail);
        LOG.warnf("rotation %s of %s: rollback %s requested by %s; version %d becomes current again", undone.id,
                undone.secretId(), id, by.subject(), undone.fromVersion);
        // The version the rollback makes current again must not retire at the end of the undone rotation's grace.
        return TimerEntity.update("firedAt = ?1 where rotationId = ?2 and kind in ?3 and firedAt is null", now,
                        undone.id, List.of(TimerKind.RETIRE.name(), TimerKind.USAGE_CHECK.name()))
                .chain(() -> store.saveNew(new SagaStore.Loaded(row, new ArrayList<>(), saga), effects, now,
                        List.of(asked)))
                .replaceWith(row);
    }
}
