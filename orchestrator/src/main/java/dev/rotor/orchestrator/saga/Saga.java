package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.catalog.ApprovalSpec;
import dev.rotor.contracts.catalog.DrainSpec;
import dev.rotor.contracts.catalog.ReloadSpec;
import dev.rotor.contracts.catalog.RetireWhenSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Trigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The execution state of one rotation, free of persistence: the {@link SagaEngine} mutates it, the persistence layer
 * maps it to rows. {@code baseSpec} carries the catalog references that every command repeats.
 */
public final class Saga {
    public final UUID id;
    public final Trigger trigger;
    public final String reason;
    public final Plan plan;
    public final StepSpec baseSpec;
    public final Duration grace;
    public RotationState state = RotationState.REQUESTED;
    public int stepIndex;
    public Integer fromVersion;
    public Integer toVersion;
    public Step failedStep;
    public String error;
    public List<String> manualSteps = List.of();
    public Instant completedAt;
    /** A dry run's outcome: the worker's report of the rehearsed REENCRYPT. */
    public String result;
    /** Why the deferred retirement failed for good; the rotation stays COMPLETED. */
    public String retirementError;
    /** Set when the rotation ended FAILED: what on-call must look at. */
    public Affected affected;
    /** The latest progress of the current attempt of some step, if any was reported. */
    public ProgressMark progress;
    /** Who asked for the rotation (the token's subject, a bridge's subject, or "schedule"). */
    public String requestedBy;
    /** The rotation whose related-entry cascade started this one, or null; every milestone carries it. */
    public UUID parentId;
    /** The entry's drain as accepted, for the local steps and the manual steps; null = none. */
    public DrainSpec drain;
    /** The entry's reloaders as accepted, for RELOAD_CONSUMERS; empty = none. */
    public List<ReloadSpec> reload = List.of();
    /** The usage gate of the deferred retirement, as accepted; null = retire when the grace ends. */
    public RetireWhenSpec retireWhen;
    /** Where that gate stands; null until the first probe. */
    public RetireGate gate;
    /** The waves and gate of a rolling cohort rollout, as accepted; null = every target at once. */
    public RolloutSpec rollout;
    /** Where that rollout stands; null until it goes past its first wave. */
    public WaveProgress waves;
    /** The approval it needs before it runs, as accepted; null = none. */
    public ApprovalSpec approval;
    /** A WAITING emergency: the rotation it supersedes, which must end before this one starts. */
    public UUID waitsFor;
    public final List<StepRun> runs = new ArrayList<>();

    /** A saga that runs with what it was accepted with. */
    public Saga(UUID id, Trigger trigger, String reason, FrozenPlan frozen) {
        this(id, trigger, reason, frozen.plan(), frozen.spec(), frozen.grace());
        this.drain = frozen.drain();
        this.approval = frozen.approval();
        this.reload = frozen.reload();
        this.retireWhen = frozen.retireWhen();
        this.rollout = frozen.rollout();
    }

    public Saga(UUID id, Trigger trigger, String reason, Plan plan, StepSpec baseSpec, Duration grace) {
        this.id = id;
        this.trigger = trigger;
        this.reason = reason;
        this.plan = plan;
        this.baseSpec = baseSpec;
        this.grace = grace;
    }

    public String secretId() {
        return baseSpec.secretId();
    }

    /** The current wave of a rollout, from 1; 1 for a rotation without one. */
    public int wave() {
        return waves == null ? 1 : waves.wave();
    }

    WaveProgress waveProgress() {
        return waves == null ? WaveProgress.FIRST : waves;
    }

    /**
     * The targets the rollout has reached: those of every wave up to the current one, a prefix of the entry's targets
     * (so a target keeps its index, under which secret-sync keeps what it held for the undo). All of them without a
     * rollout.
     */
    public List<TargetSpec> reachedTargets() {
        List<TargetSpec> all = baseSpec.targets();
        if (rollout == null) {
            return all;
        }
        return all.subList(0, Math.min(all.size(), rollout.reach(all.size()).get(wave() - 1)));
    }

    public Optional<StepRun> run(Step step, Direction direction) {
        return runs.stream().filter(r -> r.step == step && r.direction == direction).findFirst();
    }

    StepRun runFor(int index, Direction direction) {
        Step step = plan.at(index).step();
        return run(step, direction).orElseGet(() -> {
            StepRun created = new StepRun(index, step, direction);
            runs.add(created);
            return created;
        });
    }
}
