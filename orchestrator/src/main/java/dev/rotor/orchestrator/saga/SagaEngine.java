package dev.rotor.orchestrator.saga;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;

import dev.rotor.contracts.catalog.ApprovalSpec;
import dev.rotor.contracts.catalog.RetireWhenSpec;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.contracts.messages.ApprovalSkipped;
import dev.rotor.contracts.messages.CompensationStarted;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.RetireDeferred;
import dev.rotor.contracts.messages.RetireOverdue;
import dev.rotor.contracts.messages.RotationApproved;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationDenied;
import dev.rotor.contracts.messages.RotationExpired;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationFailed;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Walks any {@link Plan}: forward step by step, then back through the completed steps (and the failed one) when a step
 * fails for good or the rotation is aborted. It knows nothing of secrets or storage: it mutates a {@link Saga} and
 * returns the {@link Effect}s the caller must commit with it. Replies count only for the attempt the saga waits for,
 * so stale and repeated replies change nothing. What differs between steps comes from the {@link PlanStep}: a local
 * step becomes a {@link TimerKind#RUN_LOCAL} timer instead of a command, a step without compensation is passed over on
 * the way back. A dry-run plan is undone once it is through, ends COMPLETED and publishes nothing. Timeouts, attempts
 * and the jittered exponential backoff come from {@link EngineSettings#policyFor(PlanStep)}.
 */
public final class SagaEngine {
    static final String ABORTED = "aborted by request";
    private final EngineSettings settings;
    private final DoubleSupplier jitter;

    /** An engine whose retry waits are jittered at random. */
    public SagaEngine(EngineSettings settings) {
        this(settings, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter a value within [0, 1] for each retry wait ({@link RetryPolicy#delayAfter}); tests fix it */
    public SagaEngine(EngineSettings settings, DoubleSupplier jitter) {
        this.settings = settings;
        this.jitter = jitter;
    }

    /**
     * A new rotation, announced and left REQUESTED until a START timer fires {@link #begin}. The service accepts with
     * {@link #acceptAndBegin}; START timers written by earlier versions still begin their rotations, and this keeps
     * that path (and a REQUESTED rotation) reachable in tests.
     */
    public List<Effect> accept(Saga s, Instant now) {
        List<Effect> out = announce(s, now);
        out.add(new Effect.Schedule(TimerKind.START, now, null, null, null, null));
        return out;
    }

    /**
     * A new rotation, started at once: announced and its first command sent, committed in the caller's (accepting)
     * transaction, which makes the start as durable as a START timer without another transaction and timer scan.
     */
    public List<Effect> acceptAndBegin(Saga s, Instant now) {
        List<Effect> out = announce(s, now);
        out.addAll(begin(s, now));
        return out;
    }

    private List<Effect> announce(Saga s, Instant now) {
        s.state = RotationState.REQUESTED;
        List<Effect> out = new ArrayList<>();
        publish(s, out, new RotationRequested(s.id, s.secretId(), s.trigger, s.reason, s.plan.name(),
                s.requestedBy, now, s.parentId));
        return out;
    }

    /**
     * Break-glass: an emergency whose entry needs approval for other triggers runs at once; the milestone right after
     * rotation-requested says that nobody approved it.
     */
    public List<Effect> acceptBreakingGlass(Saga s, Instant now) {
        List<Effect> out = announce(s, now);
        publish(s, out, new ApprovalSkipped(s.id, s.secretId(), s.trigger, s.reason, s.requestedBy, now, s.parentId));
        out.addAll(begin(s, now));
        return out;
    }

    /**
     * A rotation that needs approval: announced, then AWAITING_APPROVAL with an expiry timer. No step runs until
     * {@link #approved}; {@link #denied} or {@link #onApprovalExpired} end it with nothing touched.
     */
    public List<Effect> acceptAwaitingApproval(Saga s, Instant now) {
        List<Effect> out = announce(s, now);
        awaitApproval(s, now, out);
        return out;
    }

    private void awaitApproval(Saga s, Instant now, List<Effect> out) {
        ApprovalSpec approval = s.approval;
        Instant expires = now.plus(approval.expiresAfter());
        s.state = RotationState.AWAITING_APPROVAL;
        publish(s, out, new ApprovalRequested(s.id, s.secretId(), s.trigger, s.reason, s.requestedBy,
                approval.requiredCount(), approval.roles(), expires, now, s.parentId));
        out.add(new Effect.Schedule(TimerKind.APPROVAL_EXPIRY, expires, null, null, null, null));
    }

    /** Enough approvals: AWAITING_APPROVAL → RUNNING, the first command. */
    public List<Effect> approved(Saga s, List<String> approvers, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.AWAITING_APPROVAL) {
            publish(s, out, new RotationApproved(s.id, s.secretId(), s.trigger, s.reason, approvers, now, s.parentId));
            s.state = RotationState.REQUESTED;
            out.addAll(begin(s, now));
        }
        return out;
    }

    /** A denial ends a rotation awaiting approval: DENIED, nothing touched. */
    public List<Effect> denied(Saga s, String deniedBy, String denial, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.AWAITING_APPROVAL) {
            s.state = RotationState.DENIED;
            s.completedAt = now;
            s.error = "denied by " + deniedBy + (denial == null ? "" : ": " + denial);
            publish(s, out, new RotationDenied(s.id, s.secretId(), s.trigger, s.reason, deniedBy, denial, now,
                    s.parentId));
        }
        return out;
    }

    /** The approval window passed: EXPIRED if it still awaits approval, nothing touched. */
    public List<Effect> onApprovalExpired(Saga s, List<String> approvers, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.AWAITING_APPROVAL) {
            s.state = RotationState.EXPIRED;
            s.completedAt = now;
            s.error = "approval expired with " + approvers.size() + " of " + s.approval.requiredCount()
                    + " approval(s)";
            publish(s, out, new RotationExpired(s.id, s.secretId(), s.trigger, s.reason, approvers, now, s.parentId));
        }
        return out;
    }

    /**
     * An emergency that supersedes a rotation still being undone: announced (and flagged as break-glass when its
     * entry's approval is skipped), then WAITING until {@link #release} when that rotation ends.
     */
    public List<Effect> acceptWaiting(Saga s, UUID supersedes, boolean breakGlass, Instant now) {
        List<Effect> out = announce(s, now);
        if (breakGlass) {
            publish(s, out, new ApprovalSkipped(s.id, s.secretId(), s.trigger, s.reason, s.requestedBy, now,
                    s.parentId));
        }
        s.state = RotationState.WAITING;
        s.waitsFor = supersedes;
        return out;
    }

    /** The superseded rotation ended: a WAITING rotation starts, or awaits its approval if its entry requires one. */
    public List<Effect> release(Saga s, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.WAITING) {
            if (s.approval != null) {
                awaitApproval(s, now, out);
            } else {
                s.state = RotationState.REQUESTED;
                out.addAll(begin(s, now));
            }
        }
        return out;
    }

    /** REQUESTED → RUNNING: the first command. */
    public List<Effect> begin(Saga s, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.REQUESTED) {
            s.state = RotationState.RUNNING;
            dispatch(s, 0, FORWARD, 1, now, out);
        }
        return out;
    }

    /** True when the saga waits for exactly this reply (step, direction and attempt). */
    public boolean isCurrent(Saga s, StepResult reply) {
        return s.run(reply.step(), reply.direction()).map(r -> r.awaits(reply.attempt())).orElse(false);
    }

    /** Applies a worker's reply; a reply that is not current yields no effect and no change. */
    public List<Effect> onReply(Saga s, StepResult reply, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (reply instanceof StepProgress || !isCurrent(s, reply)) {
            return out;
        }
        StepRun run = s.run(reply.step(), reply.direction()).orElseThrow();
        if (reply instanceof StepFailed f) {
            fail(s, run, f.retryable(), f.error(), now, out);
        } else if (reply instanceof StepCompensated c) {
            run.detail = c.detail();
            compensated(s, run, now, out);
        } else if (reply instanceof StepSucceeded ok && reply.direction() == COMPENSATE) {
            run.detail = ok.detail();
            compensated(s, run, now, out);
        } else if (reply instanceof StepSucceeded ok) {
            run.detail = ok.detail();
            succeeded(s, run, ok, now, out);
        }
        return out;
    }

    /**
     * A progress report: for the current attempt it is a heartbeat (the attempt's timeout now runs from {@code now})
     * and becomes the saga's latest progress. Returns false, changing nothing, for any other attempt.
     */
    public boolean onProgress(Saga s, StepProgress p, Instant now) {
        if (!isCurrent(s, p)) {
            return false;
        }
        s.run(p.step(), p.direction()).orElseThrow().heartbeatAt = now;
        s.progress = ProgressMark.of(p);
        return true;
    }

    /**
     * An attempt's timeout timer fired: a retryable failure if that attempt is still current and sent no heartbeat
     * within the timeout; after a recent heartbeat the timer is set again for heartbeat + timeout.
     */
    public List<Effect> onTimeout(Saga s, Step step, Direction direction, int attempt, Instant now) {
        List<Effect> out = new ArrayList<>();
        s.run(step, direction).filter(r -> r.awaits(attempt)).ifPresent(run -> {
            Duration timeout = timeout(s.plan.at(run.index));
            if (run.heartbeatAt != null && run.heartbeatAt.plus(timeout).isAfter(now)) {
                out.add(new Effect.Schedule(TimerKind.STEP_TIMEOUT, run.heartbeatAt.plus(timeout), step, direction,
                        attempt, null));
                return;
            }
            fail(s, run, true, step + " " + direction + " attempt " + attempt + " timed out after " + timeout, now,
                    out);
        });
        return out;
    }

    /** A retry timer fired: send the next attempt if the step still waits for it. */
    public List<Effect> onRetryDue(Saga s, Step step, Direction direction, int attempt, Instant now) {
        List<Effect> out = new ArrayList<>();
        s.run(step, direction)
                .filter(r -> r.status == StepStatus.RETRY_WAIT && r.attempts == attempt - 1)
                .ifPresent(run -> dispatch(s, run.index, direction, attempt, now, out));
        return out;
    }

    /** The grace expired: run the deferred step once, if the rotation completed and there is a version to retire. */
    public List<Effect> onRetireDue(Saga s, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (retirementPending(s)) {
            dispatch(s, s.plan.sequence().size(), FORWARD, 1, now, out);
        }
        return out;
    }

    /**
     * A probe of the previous version's share of use, for a retirement gated on use (catalog {@code retire-when}),
     * counted from the completion like the grace:
     * <ol>
     *   <li>the share has stayed at or below max-share for {@code for}: retire now;</li>
     *   <li>max-grace is over: retire now whatever the share, unknown included, with an urgent retire-overdue
     *   (cause max-grace): a version kept past its bound is the larger risk, and a client still using it must be
     *   made visible rather than be served forever;</li>
     *   <li>otherwise defer: retire-deferred the first time, retire-overdue (cause alert-above) once when the share is
     *   still above alert-above after alert-after, and the next probe after {@code checkEvery} (sooner when the
     *   share is low and {@code for} ends first, never after max-grace).</li>
     * </ol>
     * An unknown share (the probe failed) never counts as low. Nothing happens once the retirement has started.
     */
    public List<Effect> onUsage(Saga s, RetireGate.Sample sample, Duration checkEvery, Instant now) {
        List<Effect> out = new ArrayList<>();
        RetireWhenSpec when = s.retireWhen;
        if (when == null || !retirementPending(s)) {
            return out;
        }
        RetireGate before = s.gate == null ? RetireGate.NONE : s.gate;
        boolean low = sample.share() != null && sample.share() <= when.maxShareFraction();
        Instant below = !low ? null : before.belowSince() != null ? before.belowSince() : now;
        RetireGate gate = before.checked(sample, below, now);
        Instant completed = s.completedAt == null ? now : s.completedAt;
        Instant deadline = completed.plus(when.maxGraceDuration());
        int index = s.plan.sequence().size();
        if (low && !now.isBefore(below.plus(when.holdForDuration()))) {
            s.gate = gate.ended(RetireGate.BY_SHARE);
            dispatch(s, index, FORWARD, 1, now, out);
            return out;
        }
        if (!now.isBefore(deadline)) {
            s.gate = gate.ended(RetireGate.AT_MAX_GRACE);
            publish(s, out, new RetireOverdue(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion,
                    RetireOverdue.MAX_GRACE, sample.share(), when.maxShareFraction(), true, now, s.parentId));
            dispatch(s, index, FORWARD, 1, now, out);
            return out;
        }
        if (gate.deferredAt() == null) {
            gate = gate.deferred(now);
            publish(s, out, new RetireDeferred(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion,
                    sample.share(), when.maxShareFraction(), deadline, sample.probe(), now, s.parentId));
        }
        Double alertAbove = when.alertAboveFraction().orElse(null);
        if (alertAbove != null && gate.alertedAt() == null && sample.share() != null && sample.share() > alertAbove
                && !now.isBefore(completed.plus(when.alertAfterDuration()))) {
            gate = gate.alerted(now);
            publish(s, out, new RetireOverdue(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion,
                    RetireOverdue.ALERT_ABOVE, sample.share(), alertAbove, false, now, s.parentId));
        }
        s.gate = gate;
        Instant next = now.plus(checkEvery);
        if (low && below.plus(when.holdForDuration()).isBefore(next)) {
            next = below.plus(when.holdForDuration());
        }
        if (deadline.isBefore(next)) {
            next = deadline;
        }
        out.add(new Effect.Schedule(TimerKind.USAGE_CHECK, next, s.plan.at(index).step(), FORWARD, null,
                s.fromVersion));
        return out;
    }

    /**
     * A responder forces the deferred retirement now, whatever the grace or the share. Empty, changing nothing, when
     * there is nothing to retire: the rotation did not complete, its plan keeps no previous version, or the
     * retirement already started.
     */
    public List<Effect> forceRetire(Saga s, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (retirementPending(s)) {
            s.gate = (s.gate == null ? RetireGate.NONE : s.gate).ended(RetireGate.FORCED);
            dispatch(s, s.plan.sequence().size(), FORWARD, 1, now, out);
        }
        return out;
    }

    /** The rotation completed with a version to retire, and its retirement has not started. */
    public static boolean retirementPending(Saga s) {
        return s.state == RotationState.COMPLETED && s.plan.deferred().isPresent() && s.fromVersion != null
                && s.run(s.plan.at(s.plan.sequence().size()).step(), FORWARD).isEmpty();
    }

    /**
     * Stops a rotation on request. Not started yet (requested, awaiting approval, waiting): ROLLED_BACK at once. Running: the current step counts as failed
     * (its effect may or may not have happened; every compensation is safe either way) and the saga compensates from
     * there; a late reply to that attempt is then stale. Already compensating or terminal: nothing changes.
     */
    public List<Effect> abort(Saga s, Instant now) {
        return abort(s, ABORTED, now);
    }

    /** An abort with its reason, e.g. that an emergency supersedes the rotation. */
    public List<Effect> abort(Saga s, String why, Instant now) {
        List<Effect> out = new ArrayList<>();
        if (s.state == RotationState.REQUESTED || s.state == RotationState.AWAITING_APPROVAL
                || s.state == RotationState.WAITING) {
            s.error = why;
            rolledBack(s, now, out);
        } else if (s.state == RotationState.RUNNING) {
            StepRun run = s.runFor(s.stepIndex, FORWARD);
            finish(run, StepStatus.FAILED, why, now);
            startCompensation(s, run, why, now, out);
        }
        return out;
    }

    private void succeeded(Saga s, StepRun run, StepSucceeded ok, Instant now, List<Effect> out) {
        PlanStep step = s.plan.at(run.index);
        if (step.step() == Step.STAGE_SECRET) {
            if (ok.toVersion() == null) {
                fail(s, run, false, "STAGE_SECRET reply names no pending version", now, out);
                return;
            }
            s.fromVersion = ok.fromVersion();
            s.toVersion = ok.toVersion();
        }
        finish(run, StepStatus.SUCCEEDED, null, now);
        Milestones.after(s, step, ok, now).ifPresent(e -> publish(s, out, e));
        if (step.deferred()) {
            return;
        }
        if (step.step() == Step.WAVE_GATE && s.rollout != null && s.wave() < s.rollout.waves().size()) {
            // The wave held: the next one gets the new version (UPDATE_SECRET of the targets reached by then).
            s.waves = s.waveProgress().next();
            start(s, s.plan.waveStart(), now, out);
            return;
        }
        if (run.index + 1 < s.plan.sequence().size()) {
            start(s, run.index + 1, now, out);
            return;
        }
        if (s.plan.dryRun()) {
            // The rehearsal is through: its report is the result, and what it staged is undone like a rollback.
            s.result = ok.detail();
            s.state = RotationState.COMPENSATING;
            compensateNext(s, now, out);
            return;
        }
        s.state = RotationState.COMPLETED;
        s.completedAt = now;
        out.add(new Effect.Publish(new RotationCompleted(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion,
                s.toVersion, now, s.parentId)));
        if (s.plan.deferred().isPresent() && s.fromVersion != null) {
            // Gated on use: the first probe when the grace ends, which retires or defers (onUsage).
            TimerKind kind = s.retireWhen == null ? TimerKind.RETIRE : TimerKind.USAGE_CHECK;
            out.add(new Effect.Schedule(kind, now.plus(s.grace), s.plan.deferred().get().step(), FORWARD, null,
                    s.fromVersion));
        }
    }

    /**
     * The first attempt of a forward step. In a rollout's later waves the step ran before: its attempts go on counting
     * (commands and replies stay unique), and the ones used by earlier waves are noted, so each wave gets its plan's
     * attempts anew.
     */
    private void start(Saga s, int index, Instant now, List<Effect> out) {
        Step step = s.plan.at(index).step();
        int before = s.run(step, FORWARD).map(r -> r.attempts).orElse(0);
        if (before > 0 && s.rollout != null) {
            s.waves = s.waveProgress().starting(step, before);
        }
        dispatch(s, index, FORWARD, before + 1, now, out);
    }

    private void fail(Saga s, StepRun run, boolean retryable, String error, Instant now, List<Effect> out) {
        PlanStep step = s.plan.at(run.index);
        RetryPolicy policy = settings.policyFor(step);
        run.error = error;
        int used = run.attempts - (run.direction == FORWARD ? s.waveProgress().before(run.step) : 0);
        if (retryable && used < policy.maxAttempts()) {
            run.status = StepStatus.RETRY_WAIT;
            Duration delay = policy.delayAfter(used, jitter.getAsDouble());
            out.add(new Effect.Schedule(TimerKind.RETRY, now.plus(delay), run.step, run.direction,
                    run.attempts + 1, null));
            return;
        }
        finish(run, StepStatus.FAILED, error, now);
        if (step.deferred()) {
            // The pivot: the rotation stays COMPLETED; the previous version simply stays until someone retires it.
            s.retirementError = run.step + " of version " + s.fromVersion + " failed after " + run.attempts
                    + " attempt(s): " + error;
            return;
        }
        if (run.direction == FORWARD) {
            startCompensation(s, run, error, now, out);
            return;
        }
        s.state = RotationState.FAILED;
        s.completedAt = now;
        s.error = "compensation of " + run.step + " failed: " + error;
        s.manualSteps = ManualSteps.after(s, run);
        s.affected = ManualSteps.affected(s);
        publish(s, out, new RotationFailed(s.id, s.secretId(), s.trigger, s.reason, s.error, s.manualSteps, now,
                s.parentId));
    }

    private void startCompensation(Saga s, StepRun run, String error, Instant now, List<Effect> out) {
        s.state = RotationState.COMPENSATING;
        s.failedStep = run.step;
        s.error = error;
        publish(s, out, new CompensationStarted(s.id, s.secretId(), s.trigger, s.reason, run.step, error, now,
                s.parentId));
        compensateNext(s, now, out);
    }

    private void compensated(Saga s, StepRun run, Instant now, List<Effect> out) {
        finish(run, StepStatus.COMPENSATED, null, now);
        compensateNext(s, now, out);
    }

    /**
     * Compensates the next step, in {@link Plan#compensationOrder()}, that has something to undo: it is compensable,
     * it was started forward (the failed step included: its effect may have happened) and it is not compensated yet.
     * None left: the end. The order is the reverse of the plan, except that a step undone after the previous one
     * (RELOAD_CONSUMERS) follows it.
     */
    private void compensateNext(Saga s, Instant now, List<Effect> out) {
        for (int i : s.plan.compensationOrder()) {
            PlanStep step = s.plan.at(i);
            boolean undone = s.run(step.step(), COMPENSATE).map(r -> r.status == StepStatus.COMPENSATED)
                    .orElse(false);
            if (step.compensable() && !undone && s.run(step.step(), FORWARD).isPresent()) {
                dispatch(s, i, COMPENSATE, 1, now, out);
                return;
            }
        }
        if (s.plan.dryRun() && s.failedStep == null) {
            s.state = RotationState.COMPLETED;
            s.completedAt = now;
            return;
        }
        rolledBack(s, now, out);
    }

    private void rolledBack(Saga s, Instant now, List<Effect> out) {
        s.state = RotationState.ROLLED_BACK;
        s.completedAt = now;
        publish(s, out, new RotationRolledBack(s.id, s.secretId(), s.trigger, s.reason, s.failedStep, s.error, now,
                s.parentId));
    }

    private void dispatch(Saga s, int index, Direction direction, int attempt, Instant now, List<Effect> out) {
        PlanStep step = s.plan.at(index);
        if (!step.deferred()) {
            s.stepIndex = index;
        }
        StepRun run = s.runFor(index, direction);
        run.status = StepStatus.RUNNING;
        run.attempts = attempt;
        run.heartbeatAt = null;
        if (run.startedAt == null) {
            run.startedAt = now;
        }
        if (step.local()) {
            out.add(new Effect.Schedule(TimerKind.RUN_LOCAL, now, step.step(), direction, attempt, null));
        } else {
            out.add(new Effect.Send(new StepRequested(s.id, step.step(), attempt, direction, spec(s, step), now)));
        }
        out.add(new Effect.Schedule(TimerKind.STEP_TIMEOUT, now.plus(timeout(step)), step.step(), direction,
                attempt, null));
    }

    /** The command a step would get: also what a local step works from. */
    public static StepSpec spec(Saga s, PlanStep step) {
        StepSpec b = s.baseSpec;
        // A rollout's UPDATE_SECRET writes (and its compensation restores) the targets reached so far.
        List<TargetSpec> targets = step.step() == Step.UPDATE_SECRET ? s.reachedTargets() : b.targets();
        return new StepSpec(b.secretId(), b.kind(), b.strategy(), b.generator(), b.store(), targets,
                b.credential(), b.reencrypt(), s.fromVersion, s.toVersion, step.keepPrevious(), b.dryRun(), b.undoOf());
    }

    /** A dry run changes nothing, so it announces nothing: its outcome is in the API only. */
    private static void publish(Saga s, List<Effect> out, RotationEvent event) {
        if (!s.plan.dryRun()) {
            out.add(new Effect.Publish(event));
        }
    }

    private static void finish(StepRun run, StepStatus status, String error, Instant now) {
        run.status = status;
        run.error = error;
        run.finishedAt = now;
    }

    private Duration timeout(PlanStep step) {
        return settings.policyFor(step).timeout();
    }
}
