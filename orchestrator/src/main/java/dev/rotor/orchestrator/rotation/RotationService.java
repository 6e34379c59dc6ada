package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.catalog.ApprovalSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.FreezeOverridden;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.ChangeCalendar;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts rotations from every trigger (REST, schedule, Kafka requests). The active-rotation check here only gives a
 * friendly message; the partial unique index {@code rotation_one_active_per_secret} is what enforces it.
 */
@ApplicationScoped
public class RotationService {
    private static final Logger LOG = Logger.getLogger(RotationService.class);
    static final String ONE_ACTIVE_INDEX = "rotation_one_active_per_secret";

    @Inject
    CatalogHolder catalog;
    @Inject
    SagaStore store;
    @Inject
    SagaEngineProvider engines;
    @Inject
    AfterCommit afterCommit;

    /** Accepts a rotation in its own transaction. */
    public Uni<RotationEntity> accept(RotationAsk ask) {
        String secretId = ask.secretId();
        return Transactions.inTransaction(() -> acceptInTransaction(ask))
                .onFailure(f -> Transactions.violates(f, ONE_ACTIVE_INDEX))
                .transform(f -> alreadyActive(secretId))
                .invoke(afterCommit::run);
    }

    /**
     * Accepts and starts a rotation inside the caller's transaction: the row (RUNNING), rotation-requested and the
     * first step's command in the outbox, and any retirement still in grace for this secret made due now (a newer
     * rotation retires it; a dry run does not). A rotation whose entry requires approval waits in AWAITING_APPROVAL
     * instead; an EMERGENCY for a secret whose non-emergency rotation is active supersedes it (see
     * {@link #supersede}).
     *
     * @throws RotationRefused for an unknown secret, an unimplemented strategy or an active rotation
     */
    public Uni<RotationEntity> acceptInTransaction(RotationAsk ask) {
        return Uni.createFrom().deferred(() -> acceptChecked(ask));
    }

    private Uni<RotationEntity> acceptChecked(RotationAsk ask) {
        String secretId = ask.secretId();
        Trigger trigger = ask.trigger();
        boolean dryRun = ask.dryRun();
        SecretEntry entry = catalog.find(secretId).orElseThrow(() -> new RotationRefused(
                RotationRefused.Reason.UNKNOWN_SECRET, "no secret '" + secretId + "' in the catalog"));
        Strategy strategy = trigger == Trigger.EMERGENCY ? entry.emergencyStrategy() : entry.strategy();
        boolean hasCheck = entry.reencrypt() != null && entry.reencrypt().backupCheck() != null;
        if (ask.backupCheckOverride() != null && !hasCheck) {
            throw new RotationRefused(RotationRefused.Reason.NOTHING_TO_OVERRIDE, "backupCheckOverride: secret '"
                    + secretId + "' has no reencrypt.backup-check to override");
        }
        boolean check = hasCheck && ask.backupCheckOverride() == null;
        // A rollout goes in waves for planned rotations; an emergency reaches every target at once.
        RolloutSpec rollout = trigger == Trigger.EMERGENCY ? null : entry.rollout();
        Plan full = Plans.forRotation(strategy, false, !entry.reload().isEmpty(), rollout, check)
                .orElseThrow(() -> new RotationRefused(RotationRefused.Reason.STRATEGY_NOT_IMPLEMENTED,
                        "strategy " + strategy.catalogName() + " is not implemented yet (secret '" + secretId + "')"));
        Plan plan = dryRun ? full.rehearsal().orElseThrow(() -> new RotationRefused(
                RotationRefused.Reason.DRY_RUN_NOT_SUPPORTED, "dryRun applies to re-encrypting strategies only;"
                + " strategy " + strategy.catalogName() + " of secret '" + secretId + "' does not re-encrypt")) : full;
        Instant now = Instant.now();
        Optional<ChangeCalendar.Freeze> freeze = dryRun ? Optional.empty() : catalog.calendar().freezeAt(now);
        if (freeze.isPresent() && trigger != Trigger.EMERGENCY) {
            throw new RotationRefused(RotationRefused.Reason.FROZEN, "change freeze until " + freeze.get().end()
                    + " (" + freeze.get().reason() + "): only an EMERGENCY rotation of '" + secretId
                    + "' may start now");
        }
        String overridden = freeze.map(ChangeCalendar.Freeze::reason).orElse(null);
        return RotationEntity.<RotationEntity>list("secretId = ?1 and state in ?2", secretId, activeStates())
                .chain(active -> {
                    if (active.isEmpty()) {
                        return start(ask, entry, strategy, plan, null, now, overridden);
                    }
                    if (trigger != Trigger.EMERGENCY) {
                        return Uni.createFrom().failure(alreadyActive(secretId));
                    }
                    if (active.stream().anyMatch(r -> Trigger.EMERGENCY.name().equals(r.trigger))) {
                        return Uni.createFrom().failure(new RotationRefused(RotationRefused.Reason.ALREADY_ACTIVE,
                                "an emergency rotation of '" + secretId + "' is already active"));
                    }
                    return supersede(active.get(0), ask, entry, strategy, plan, now, overridden);
                })
                .call(row -> dryRun || ask.origin().parentId() != null || !entry.cascadesOn(trigger)
                        ? Uni.createFrom().voidItem() : cascade(entry, ask, row));
    }

    /**
     * Starts a rotation of each related entry (catalog {@code related}) in this transaction, linked by
     * {@code parentId}, with the parent's trigger, requester and incident. One level only: a child's own related
     * entries are not followed. A child that cannot start (its secret already has an emergency running, a freeze
     * for a non-emergency) is skipped with a warning; the parent and its other children still start. Each child is
     * its own saga afterwards, so one failing does not roll the others back.
     */
    private Uni<Void> cascade(SecretEntry entry, RotationAsk parent, RotationEntity row) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String related : entry.related()) {
            RotationAsk child = new RotationAsk(related, parent.trigger(), "related to " + entry.id() + " (rotation "
                    + row.id + ")" + (parent.reason() == null ? "" : ": " + parent.reason()), false, parent.by(),
                    parent.origin().childOf(row.id));
            chain = chain.chain(() -> acceptInTransaction(child)
                    .onFailure(RotationRefused.class).recoverWithItem(f -> {
                        LOG.warnf("rotation %s of %s: related %s not started: %s", row.id, entry.id(), related,
                                f.getMessage());
                        return null;
                    })
                    .replaceWithVoid());
        }
        return chain;
    }

    /**
     * An emergency supersedes the running rotation of its secret: that one is aborted (it compensates) in this
     * transaction. If it ended at once (it had not started) the emergency starts now; otherwise the emergency waits,
     * WAITING, and starts in the transaction that ends the other one ({@link SagaDriver}).
     */
    private Uni<RotationEntity> supersede(RotationEntity running, RotationAsk ask, SecretEntry entry,
            Strategy strategy, Plan plan, Instant now, String overriddenFreeze) {
        UUID emergency = UUID.randomUUID();
        return store.load(running.id).chain(old -> {
            String why = "superseded by emergency rotation " + emergency;
            LOG.warnf("rotation %s of %s: %s", running.id, running.secretId, why);
            var effects = engines.engine().abort(old.saga(), why, now);
            AuditRecord aborted = new AuditRecord(now, AuditKinds.ROTATION_ABORTED, ask.by(), why, running.secretId,
                    running.id, Map.of("state", old.saga().state.name(), "supersededBy", emergency.toString()));
            return store.save(old, effects, now, List.of(aborted)).chain(() -> {
                UUID waitsFor = old.saga().state.terminal() ? null : old.saga().id;
                return start(ask, entry, strategy, plan, waitsFor, now, overriddenFreeze, emergency);
            });
        });
    }

    private Uni<RotationEntity> start(RotationAsk ask, SecretEntry entry, Strategy strategy, Plan plan, UUID waitsFor,
            Instant now, String overriddenFreeze) {
        return start(ask, entry, strategy, plan, waitsFor, now, overriddenFreeze, UUID.randomUUID());
    }

    /**
     * Stores the rotation with its frozen plan and starts it: at once, after approval (AWAITING_APPROVAL), or once
     * the rotation it supersedes has ended (WAITING). An emergency of an entry that needs approval, under
     * {@code approval.emergency: skip}, runs at once and is flagged (approval-skipped). Dry runs need no approval.
     * An emergency inside a change freeze is flagged (freeze-overridden, right after rotation-requested).
     */
    private Uni<RotationEntity> start(RotationAsk ask, SecretEntry entry, Strategy strategy, Plan plan, UUID waitsFor,
            Instant now, String overriddenFreeze, UUID id) {
        boolean dryRun = ask.dryRun();
        Optional<ApprovalSpec> approval = dryRun ? Optional.empty() : entry.approvalFor(ask.trigger());
        boolean breakGlass = !dryRun && entry.approval() != null && approval.isEmpty();
        RotationEntity row = newRow(ask, strategy, now);
        row.id = id;
        FrozenPlan frozen = new FrozenPlan(plan, SagaStore.baseSpec(entry, strategy, dryRun),
                entry.graceDuration(), entry.drain(), approval.orElse(null), dryRun ? List.of() : entry.reload(),
                dryRun ? null : entry.retireWhen(),
                plan.step(Step.WAVE_GATE).isPresent() ? entry.rollout() : null);
        row.frozenPlan = FrozenPlans.write(frozen);
        row.waitsFor = waitsFor;
        Saga saga = new Saga(row.id, ask.trigger(), ask.reason(), frozen);
        saga.requestedBy = ask.requestedBy();
        saga.parentId = ask.origin().parentId();
        SagaStore.Loaded loaded = new SagaStore.Loaded(row, new java.util.ArrayList<>(), saga);
        SagaEngine engine = engines.engine();
        List<Effect> effects = new java.util.ArrayList<>();
        if (waitsFor != null) {
            effects.addAll(engine.acceptWaiting(saga, waitsFor, breakGlass, now));
        } else if (approval.isPresent()) {
            effects.addAll(engine.acceptAwaitingApproval(saga, now));
        } else if (breakGlass) {
            effects.addAll(engine.acceptBreakingGlass(saga, now));
        } else {
            effects.addAll(engine.acceptAndBegin(saga, now));
        }
        if (overriddenFreeze != null) {
            effects.add(1, new Effect.Publish(new FreezeOverridden(id, ask.secretId(), ask.trigger(), ask.reason(),
                    overriddenFreeze, now, ask.origin().parentId())));
        }
        // Audited as a move from REQUESTED to the engine's state, in one insert (saveNew); but WAITING starts as
        // such: it moves nowhere until the rotation it supersedes ends.
        row.state = (saga.state == RotationState.WAITING ? RotationState.WAITING : RotationState.REQUESTED).name();
        boolean running = saga.state == RotationState.RUNNING && !dryRun;
        return (running ? retireEarlierNow(ask.secretId(), now) : Uni.createFrom().item(0))
                .chain(() -> store.saveNew(loaded, effects, now, List.of(requested(ask, row, plan, now, saga,
                        breakGlass, overriddenFreeze))))
                .replaceWith(row);
    }

    /**
     * A newer rotation that starts retires the version still in grace from the one before: its RETIRE timer becomes
     * due now. Called when the rotation really starts (a rehearsal, or a rotation still awaiting approval, does not
     * cut the grace short). A retirement gated on use waits no longer either: its USAGE_CHECK timer becomes a RETIRE
     * timer due now, since the new rotation will make another version previous.
     */
    public static Uni<Integer> retireEarlierNow(String secretId, Instant now) {
        // One statement for both: a RETIRE timer keeps its kind, a USAGE_CHECK timer becomes one.
        return TimerEntity.update("kind = ?1, dueAt = ?2 where secretId = ?3 and firedAt is null"
                + " and ((kind = ?1 and dueAt > ?2) or kind = ?4)", TimerKind.RETIRE.name(), now, secretId,
                TimerKind.USAGE_CHECK.name());
    }

    /**
     * The audit entry of the request itself: who, with which roles, from where, and why; flagged when it skipped the
     * entry's approval (break-glass), overrode a change freeze, or supersedes another rotation.
     */
    private static AuditRecord requested(RotationAsk ask, RotationEntity row, Plan plan, Instant now, Saga saga,
            boolean breakGlass, String overriddenFreeze) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("trigger", ask.trigger().name());
        detail.put("strategy", row.strategy);
        detail.put("plan", plan.name());
        detail.put("dryRun", ask.dryRun());
        detail.put("state", saga.state.name());
        if (breakGlass) {
            detail.put("breakGlass", true);
        }
        if (ask.backupCheckOverride() != null) {
            detail.put("backupCheckOverridden", ask.backupCheckOverride());
        }
        if (overriddenFreeze != null) {
            detail.put("freezeOverridden", overriddenFreeze);
        }
        if (saga.waitsFor != null) {
            detail.put("supersedes", saga.waitsFor.toString());
        }
        if (ask.origin().parentId() != null) {
            detail.put("parent", ask.origin().parentId().toString());
        }
        if (ask.origin().incident() != null) {
            detail.put("incident", ask.origin().incident());
        }
        return new AuditRecord(now, AuditKinds.ROTATION_REQUESTED, ask.by(), ask.reason(), ask.secretId(), row.id,
                detail);
    }

    private static RotationEntity newRow(RotationAsk ask, Strategy strategy, Instant now) {
        RotationEntity row = new RotationEntity();
        row.id = UUID.randomUUID();
        row.secretId = ask.secretId();
        row.strategy = strategy.catalogName();
        row.trigger = ask.trigger().name();
        row.reason = ask.reason();
        row.requestedBy = ask.requestedBy();
        row.dryRun = ask.dryRun();
        row.parentId = ask.origin().parentId();
        row.incident = ask.origin().incident();
        row.incidentAt = ask.origin().incidentAt();
        row.state = RotationState.REQUESTED.name();
        row.requestedAt = now;
        row.updatedAt = now;
        return row;
    }

    static List<String> activeStates() {
        return java.util.Arrays.stream(RotationState.values()).filter(RotationState::active).map(Enum::name).toList();
    }

    private static RotationRefused alreadyActive(String secretId) {
        return new RotationRefused(RotationRefused.Reason.ALREADY_ACTIVE,
                "a rotation of '" + secretId + "' is already active");
    }
}
