package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.catalog.ApprovalSpec;
import dev.rotor.contracts.catalog.DrainSpec;
import dev.rotor.contracts.catalog.ReloadSpec;
import dev.rotor.contracts.catalog.RetireWhenSpec;
import dev.rotor.contracts.catalog.RolloutSpec;
import dev.rotor.contracts.messages.StepSpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a rotation was accepted with, and runs with until it ends: the plan (its steps, their order and retry policies)
 * and the entry's spec (store, targets, generator, credential, re-encryption), grace and drain. It is stored with the
 * rotation when it is accepted; every later step, timer, retry and compensation is built from it, never from the
 * catalog or the plans of a later release. An entry edited or removed since, or a release that reorders a plan,
 * leaves a running rotation doing, and undoing, exactly what it was accepted with.
 *
 * @param spec the base spec every command repeats: catalog references, never material
 * @param drain null when the entry has no drain
 * @param approval the approval the rotation needs before it runs; null when it needs none
 * @param reload the entry's reloaders, which RELOAD_CONSUMERS runs; empty when it has none (or in a plan stored
 *     before reloads existed)
 * @param retireWhen the usage gate of RETIRE_PREVIOUS; null when the previous version is retired when the grace ends
 *     (or in a plan stored before the gate existed)
 * @param rollout the waves and gate of a rolling cohort rollout, whose plan has WAVE_GATE; null when every target gets
 *     the new version at once (or in a plan stored before rollouts existed)
 */
public record FrozenPlan(Plan plan, StepSpec spec, Duration grace, DrainSpec drain, ApprovalSpec approval,
        List<ReloadSpec> reload, RetireWhenSpec retireWhen, RolloutSpec rollout) {
    public FrozenPlan {
        reload = reload == null ? List.of() : List.copyOf(reload);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(grace, "grace");
    }

    /** A plan whose previous version is retired when the grace ends. */
    public FrozenPlan(Plan plan, StepSpec spec, Duration grace, DrainSpec drain, ApprovalSpec approval,
            List<ReloadSpec> reload) {
        this(plan, spec, grace, drain, approval, reload, null, null);
    }

    /** A plan that rolls out to every target at once. */
    public FrozenPlan(Plan plan, StepSpec spec, Duration grace, DrainSpec drain, ApprovalSpec approval,
            List<ReloadSpec> reload, RetireWhenSpec retireWhen) {
        this(plan, spec, grace, drain, approval, reload, retireWhen, null);
    }

    /** What a saga runs with. */
    public static FrozenPlan of(Saga saga) {
        return new FrozenPlan(saga.plan, saga.baseSpec, saga.grace, saga.drain, saga.approval, saga.reload,
                saga.retireWhen, saga.rollout);
    }
}
