package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.AuditKinds;
import dev.rotor.orchestrator.audit.AuditRecord;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.RetireGate;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.SagaEngine;
import dev.rotor.orchestrator.saga.TimerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.LockMode;
import org.jboss.logging.Logger;

/**
 * Feeds replies, local step results and due timers to the engine. Each call is one transaction: the de-dupe row (or
 * the timer's {@code fired_at}), the new state and the outbox rows commit together; the relay and the local step
 * runner are woken after the commit.
 */
@ApplicationScoped
public class SagaDriver {
    private static final Logger LOG = Logger.getLogger(SagaDriver.class);

    @Inject
    SagaStore store;
    @Inject
    SagaEngineProvider engines;
    @Inject
    AfterCommit afterCommit;

    /**
     * Applies a worker reply. De-duplicates on (rotationId, step, attempt, direction) through {@code processed_reply};
     * a reply for an attempt that is no longer current is recorded there too, and otherwise ignored. A progress report
     * is not de-duplicated (repeating one is harmless): for the current attempt it becomes the rotation's latest
     * progress and a heartbeat; otherwise it is dropped.
     */
    public Uni<Void> onReply(StepResult reply) {
        if (reply instanceof StepProgress p) {
            return Transactions.inTransaction(() -> progress(p));
        }
        return Transactions.inTransaction(() -> apply(reply)).invoke(afterCommit::run);
    }

    /**
     * Records the result of a local step's attempt as if a worker had replied, and marks its RUN_LOCAL timer fired, in
     * one transaction; {@code result == null} only marks the timer (the attempt was no longer current).
     */
    public Uni<Void> completeLocal(UUID timerId, StepResult result) {
        return Transactions.inTransaction(() -> TimerEntity.<TimerEntity>findById(timerId).chain(timer -> {
            if (timer == null || timer.firedAt != null) {
                return Uni.createFrom().voidItem();
            }
            timer.firedAt = Instant.now();
            return result == null ? Uni.createFrom().voidItem() : apply(result);
        })).invoke(afterCommit::run);
    }

    private Uni<Void> progress(StepProgress p) {
        return store.load(p.rotationId()).chain(loaded -> {
            Instant now = Instant.now();
            if (loaded == null || !engines.engine().onProgress(loaded.saga(), p, now)) {
                LOG.debugf("rotation %s: progress for %s %s attempt %d dropped (not current)", p.rotationId(),
                        p.step(), p.direction(), p.attempt());
                return Uni.createFrom().voidItem();
            }
            return store.saveProgress(loaded, now);
        });
    }

    private Uni<Void> apply(StepResult reply) {
        return recordReply(reply).chain(fresh -> {
            if (!fresh) {
                LOG.infof("rotation %s: duplicate %s for %s %s attempt %d ignored", reply.rotationId(),
                        reply.type(), reply.step(), reply.direction(), reply.attempt());
                return Uni.createFrom().voidItem();
            }
            return store.load(reply.rotationId()).chain(loaded -> {
                if (loaded == null) {
                    LOG.warnf("reply %s for unknown rotation %s ignored", reply.type(), reply.rotationId());
                    return Uni.createFrom().voidItem();
                }
                SagaEngine engine = engines.engine();
                if (!engine.isCurrent(loaded.saga(), reply)) {
                    LOG.infof("rotation %s: stale %s for %s %s attempt %d ignored", reply.rotationId(),
                            reply.type(), reply.step(), reply.direction(), reply.attempt());
                    return Uni.createFrom().voidItem();
                }
                Instant now = Instant.now();
                return save(loaded, engine.onReply(loaded.saga(), reply, now), now);
            });
        });
    }

    /**
     * Records the reply in {@code processed_reply}; false when it was there already (a redelivery). A fresh reply also
     * marks its attempt's STEP_TIMEOUT timer fired, in the same statement: the attempt answered, so that timer would
     * only find it no longer current, one transaction later. One round trip, as the de-dupe insert alone was; a stale
     * reply settles the timer of its own (old) attempt, which is just as moot. Two deliveries of one reply at once
     * may both settle the timer (each sees no record yet), which is the same write twice; only one records it.
     *
     * <p>An update statement, not a select: Hibernate caches a native select's plan under a key that never equals
     * the next execution's, so each reply added a plan to its cache (see QueryPlanCacheTest).
     */
    private static Uni<Boolean> recordReply(StepResult reply) {
        return Panache.getSession().chain(s -> s.createNativeQuery("with settled as ("
                + "update timer set fired_at = ?6 where rotation_id = ?1 and kind = ?7 and step = ?2"
                + " and direction = ?4 and attempt = ?3 and fired_at is null and not exists (select 1 from"
                + " processed_reply p where p.rotation_id = ?1 and p.step = ?2 and p.attempt = ?3"
                + " and p.direction = ?4))"
                + " insert into processed_reply (rotation_id, step, attempt, direction, reply_type, received_at)"
                + " values (?1, ?2, ?3, ?4, ?5, ?6) on conflict do nothing")
                .setParameter(1, reply.rotationId())
                .setParameter(2, reply.step().name())
                .setParameter(3, reply.attempt())
                .setParameter(4, reply.direction().name())
                .setParameter(5, reply.type())
                .setParameter(6, Instant.now())
                .setParameter(7, TimerKind.STEP_TIMEOUT.name())
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /**
     * Acts on one due timer once: {@code fired_at} is set in the same transaction as the resulting state change. The
     * timer row is claimed with {@code for update skip locked} as it is read, so when another instance is firing it
     * this call finds nothing and returns at once; once that one commits, the timer is fired and ignored here.
     */
    public Uni<Void> fire(UUID timerId) {
        return Transactions.inTransaction(() -> Panache.getSession().chain(s -> s.find(TimerEntity.class, timerId,
                LockMode.UPGRADE_SKIPLOCKED)).chain(timer -> {
            TimerKind kind = timer == null ? null : TimerKind.valueOf(timer.kind);
            if (timer == null || timer.firedAt != null || kind == TimerKind.RUN_LOCAL
                    || kind == TimerKind.USAGE_CHECK) {
                return Uni.createFrom().voidItem();
            }
            Instant now = Instant.now();
            timer.firedAt = now;
            return store.load(timer.rotationId).chain(loaded -> {
                if (loaded == null) {
                    return Uni.createFrom().voidItem();
                }
                if (TimerKind.valueOf(timer.kind) == TimerKind.APPROVAL_EXPIRY) {
                    return Approvals.approvers(loaded.saga().id).chain(approvers -> save(loaded,
                            engines.engine().onApprovalExpired(loaded.saga(), approvers, now), now));
                }
                return save(loaded, apply(engines.engine(), loaded, timer, now), now);
            });
        })).invoke(afterCommit::run);
    }

    /**
     * Records a usage probe's answer for the deferred retirement and marks its USAGE_CHECK timer fired, in one
     * transaction; the timer row is claimed with {@code for update skip locked}, so the decision is made once.
     * {@code sample == null} only marks the timer (there was nothing left to gate).
     */
    public Uni<Void> completeUsageCheck(UUID timerId, RetireGate.Sample sample, Duration checkEvery) {
        return Transactions.inTransaction(() -> Panache.getSession().chain(s -> s.find(TimerEntity.class, timerId,
                LockMode.UPGRADE_SKIPLOCKED)).chain(timer -> {
            if (timer == null || timer.firedAt != null) {
                return Uni.createFrom().voidItem();
            }
            Instant now = Instant.now();
            timer.firedAt = now;
            if (sample == null) {
                return Uni.createFrom().voidItem();
            }
            return store.load(timer.rotationId).chain(loaded -> loaded == null ? Uni.createFrom().voidItem()
                    : save(loaded, engines.engine().onUsage(loaded.saga(), sample, checkEvery, now), now));
        })).invoke(afterCommit::run);
    }

    /** What a forced retirement found: whether it started one, the version, and why not when it did not. */
    public record Forced(boolean started, Integer version, String refusal) {
    }

    /**
     * A responder retires the previous version now, whatever its grace or share of use, in its own transaction and
     * audited as {@code by}'s ({@code retirement-forced}); null when there is no such rotation. Nothing changes when
     * there is nothing to retire (the refusal says why).
     */
    public Uni<Forced> forceRetire(UUID rotationId, Actor by) {
        return Transactions.inTransaction(() -> store.load(rotationId).chain(loaded -> {
            if (loaded == null) {
                return Uni.createFrom().<Forced>nullItem();
            }
            var saga = loaded.saga();
            if (!SagaEngine.retirementPending(saga)) {
                return Uni.createFrom().item(new Forced(false, saga.fromVersion, refusal(saga)));
            }
            // A rolled-back rotation stays COMPLETED, but the version it kept is current again: never retire it.
            return Rollbacks.rollbacksOf(rotationId).chain(rollbacks -> rollbacks.isEmpty()
                    ? forced(loaded, by)
                    : Uni.createFrom().item(new Forced(false, saga.fromVersion, "rotation " + rotationId
                            + " was rolled back (rollback " + rollbacks.get(0).id + ", " + rollbacks.get(0).state
                            + "): version " + saga.fromVersion + " is current again and is not retired")));
        })).invoke(afterCommit::run);
    }

    private Uni<Forced> forced(SagaStore.Loaded loaded, Actor by) {
        var saga = loaded.saga();
        UUID rotationId = saga.id;
        Instant now = Instant.now();
        LOG.warnf("rotation %s of %s: retirement of version %d forced by %s", rotationId, saga.secretId(),
                saga.fromVersion, by.subject());
        Map<String, Object> detail = new java.util.LinkedHashMap<>();
        detail.put("version", saga.fromVersion);
        detail.put("share", saga.gate == null || saga.gate.share() == null ? "unknown"
                : String.valueOf(saga.gate.share())); // as text: the audit chain holds whole numbers only
        AuditRecord asked = new AuditRecord(now, AuditKinds.RETIREMENT_FORCED, by, null, saga.secretId(),
                rotationId, detail);
        return save(loaded, engines.engine().forceRetire(saga, now), now, List.of(asked))
                .replaceWith(new Forced(true, saga.fromVersion, null));
    }

    private static String refusal(dev.rotor.orchestrator.saga.Saga saga) {
        if (saga.state != RotationState.COMPLETED) {
            return "rotation " + saga.id + " is " + saga.state + "; only a COMPLETED rotation has a previous version"
                    + " to retire";
        }
        if (saga.plan.deferred().isEmpty() || saga.fromVersion == null) {
            return "rotation " + saga.id + " kept no previous version (plan " + saga.plan.name() + ")";
        }
        return "the retirement of version " + saga.fromVersion + " has already started";
    }

    /** What an abort found and left: the state before and after. */
    public record Aborted(RotationState before, RotationState after) {
    }

    /**
     * The abort of a rotation, in its own transaction; null when there is no such rotation. An abort that acts is
     * audited as {@code by}'s, with the transition it causes.
     */
    public Uni<Aborted> abort(UUID rotationId, Actor by) {
        return Transactions.inTransaction(() -> store.load(rotationId).chain(loaded -> {
            if (loaded == null) {
                return Uni.createFrom().<Aborted>nullItem();
            }
            RotationState before = loaded.saga().state;
            if (!before.active()) {
                return Uni.createFrom().item(new Aborted(before, before));
            }
            Instant now = Instant.now();
            LOG.warnf("rotation %s of %s: abort requested in state %s", rotationId, loaded.saga().secretId(), before);
            AuditRecord asked = new AuditRecord(now, AuditKinds.ROTATION_ABORTED, by, null, loaded.saga().secretId(),
                    rotationId, Map.of("state", before.name()));
            return save(loaded, engines.engine().abort(loaded.saga(), now), now, List.of(asked))
                    .replaceWith(new Aborted(before, loaded.saga().state));
        })).invoke(afterCommit::run);
    }

    /**
     * Commits the engine's decision. When it ends a rotation that an emergency WAITING supersedes, the emergency
     * starts in the same transaction (after the ended row is flushed, so the one-active index holds at every
     * statement).
     */
    Uni<Void> save(SagaStore.Loaded loaded, List<Effect> effects, Instant now) {
        return save(loaded, effects, now, List.of());
    }

    /** The same, with the audit records of what was asked (an abort, an approval). */
    Uni<Void> save(SagaStore.Loaded loaded, List<Effect> effects, Instant now, List<AuditRecord> asked) {
        boolean wasActive = RotationState.valueOf(loaded.row().state).active();
        Uni<Void> saved = saveOnly(loaded, effects, now, asked);
        // Only an aborted rotation can have an emergency waiting for it, and an aborted one never ends COMPLETED
        // (it compensates, or ended at once in the superseding transaction); so a completion looks for no waiter.
        RotationState after = loaded.saga().state;
        if (!wasActive || !after.terminal() || after == RotationState.COMPLETED) {
            return saved;
        }
        return saved.chain(() -> releaseWaiting(loaded.saga().id, now));
    }

    private Uni<Void> releaseWaiting(UUID ended, Instant now) {
        return RotationEntity.<RotationEntity>find("waitsFor = ?1 and state = ?2", ended,
                RotationState.WAITING.name()).firstResult().chain(waiting -> waiting == null
                        ? Uni.createFrom().voidItem()
                        : store.load(waiting.id).chain(next -> {
                            LOG.infof("rotation %s of %s: the rotation it supersedes (%s) ended; starting",
                                    next.saga().id, next.saga().secretId(), ended);
                            List<Effect> effects = engines.engine().release(next.saga(), now);
                            Uni<Integer> retire = next.saga().state == RotationState.RUNNING
                                    ? RotationService.retireEarlierNow(next.saga().secretId(), now)
                                    : Uni.createFrom().item(0);
                            return retire.chain(() -> saveOnly(next, effects, now, List.of()));
                        }));
    }

    private Uni<Void> saveOnly(SagaStore.Loaded loaded, List<Effect> effects, Instant now,
            List<AuditRecord> asked) {
        String retirementErrorBefore = loaded.row().retirementError;
        if (loaded.saga().retirementError != null
                && !Objects.equals(retirementErrorBefore, loaded.saga().retirementError)) {
            // The rotation stays COMPLETED, so no event says this; the log and the API must.
            LOG.errorf("rotation %s of %s: the previous version was not retired: %s", loaded.saga().id,
                    loaded.saga().secretId(), loaded.saga().retirementError);
        }
        return store.save(loaded, effects, now, asked);
    }

    private static List<Effect> apply(SagaEngine engine, SagaStore.Loaded loaded, TimerEntity timer, Instant now) {
        var saga = loaded.saga();
        Step step = timer.step == null ? null : Step.valueOf(timer.step);
        Direction direction = timer.direction == null ? null : Direction.valueOf(timer.direction);
        return switch (TimerKind.valueOf(timer.kind)) {
            case START -> engine.begin(saga, now);
            case STEP_TIMEOUT -> engine.onTimeout(saga, step, direction, timer.attempt, now);
            case RETRY -> engine.onRetryDue(saga, step, direction, timer.attempt, now);
            case RETIRE -> engine.onRetireDue(saga, now);
            // handled before (needs the approvals), or elsewhere (a call made outside the transaction)
            case RUN_LOCAL, APPROVAL_EXPIRY, USAGE_CHECK -> List.of();
        };
    }
}
