package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.Plan;
import dev.rotor.orchestrator.saga.Plans;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.TimerKind;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Accepts rotations from every trigger (REST, schedule, Kafka requests). The active-rotation check here only gives a
 * friendly message; the partial unique index {@code rotation_one_active_per_secret} is what enforces it.
 */
@ApplicationScoped
public class RotationService {
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
     * rotation retires it; a dry run does not).
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
        Plan full = Plans.forStrategy(strategy).orElseThrow(() -> new RotationRefused(
                RotationRefused.Reason.STRATEGY_NOT_IMPLEMENTED,
                "strategy " + strategy.catalogName() + " is not implemented yet (secret '" + secretId + "')"));
        Plan plan = dryRun ? full.rehearsal().orElseThrow(() -> new RotationRefused(
                RotationRefused.Reason.DRY_RUN_NOT_SUPPORTED, "dryRun applies to re-encrypting strategies only;"
                + " strategy " + strategy.catalogName() + " of secret '" + secretId + "' does not re-encrypt")) : full;
        Instant now = Instant.now();
        return RotationEntity.count("secretId = ?1 and state in ?2", secretId, activeStates()).chain(active -> {
            if (active > 0) {
                return Uni.createFrom().failure(alreadyActive(secretId));
            }
            RotationEntity row = newRow(ask, strategy, now);
            Saga saga = new Saga(row.id, trigger, ask.reason(), plan, SagaStore.baseSpec(entry, strategy, dryRun),
                    entry.graceDuration());
            saga.drain = entry.drain();
            saga.requestedBy = ask.requestedBy();
            SagaStore.Loaded loaded = new SagaStore.Loaded(row, new java.util.ArrayList<>(), saga);
            var effects = engines.engine().acceptAndBegin(saga, now);
            // A rehearsal changes nothing, so it must not cut short the grace of the version before it.
            return row.<RotationEntity>persistAndFlush()
                    .chain(() -> dryRun ? Uni.createFrom().item(0) : TimerEntity.update("dueAt = ?1 where secretId = ?2"
                            + " and kind = ?3 and firedAt is null and dueAt > ?1", now, secretId,
                            TimerKind.RETIRE.name()))
                    .chain(() -> store.save(loaded, effects, now, List.of(requested(ask, row, plan, now))))
                    .replaceWith(row);
        });
    }

    /** The audit entry of the request itself: who, with which roles, from where, and why. */
    private static AuditRecord requested(RotationAsk ask, RotationEntity row, Plan plan, Instant now) {
        return new AuditRecord(now, AuditKinds.ROTATION_REQUESTED, ask.by(), ask.reason(), ask.secretId(), row.id,
                Map.of("trigger", ask.trigger().name(), "strategy", row.strategy, "plan", plan.name(),
                        "dryRun", ask.dryRun()));
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
        row.state = RotationState.REQUESTED.name();
        row.requestedAt = now;
        row.updatedAt = now;
        return row;
    }

    static List<String> activeStates() {
        return List.of(RotationState.REQUESTED.name(), RotationState.RUNNING.name(),
                RotationState.COMPENSATING.name());
    }

    private static RotationRefused alreadyActive(String secretId) {
        return new RotationRefused(RotationRefused.Reason.ALREADY_ACTIVE,
                "a rotation of '" + secretId + "' is already active");
    }
}
