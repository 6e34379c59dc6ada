package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A saga plan as data: the ordered steps the {@link SagaEngine} walks forward, and back (compensating) on failure. At
 * most one deferred step, and it comes last.
 *
 * @param dryRun a rehearsal: when the sequence is done the engine undoes it (as for a rollback) and the rotation ends
 *     COMPLETED with nothing changed; no milestone is published
 */
public record Plan(String name, List<PlanStep> steps, boolean dryRun) {
    public Plan {
        steps = List.copyOf(steps);
        long deferred = steps.stream().filter(PlanStep::deferred).count();
        if (deferred > 1 || (deferred == 1 && !steps.get(steps.size() - 1).deferred())) {
            throw new IllegalArgumentException("plan " + name + ": at most one deferred step, and it must be last");
        }
        if (steps.stream().allMatch(PlanStep::deferred)) {
            throw new IllegalArgumentException("plan " + name + " has no step");
        }
        if (dryRun && deferred > 0) {
            throw new IllegalArgumentException("dry-run plan " + name + " cannot have a deferred step");
        }
    }

    public Plan(String name, List<PlanStep> steps) {
        this(name, steps, false);
    }

    /**
     * The rehearsal of this plan, for a plan that re-encrypts: STAGE_SECRET (a pending version, so the worker has both
     * keys) and REENCRYPT with {@code dryRun} (a full pass that writes nothing, so it has nothing to undo); then the
     * engine discards the pending version. Empty for plans without REENCRYPT: their dry run would prove nothing.
     */
    public Optional<Plan> rehearsal() {
        Optional<PlanStep> stage = step(Step.STAGE_SECRET);
        Optional<PlanStep> reencrypt = step(Step.REENCRYPT);
        if (stage.isEmpty() || reencrypt.isEmpty()) {
            return Optional.empty();
        }
        List<PlanStep> steps = new ArrayList<>();
        step(Step.CHECK_BACKUP).ifPresent(steps::add);
        steps.add(stage.get());
        steps.add(reencrypt.get().withoutCompensation());
        return Optional.of(new Plan(name, steps, true));
    }

    /**
     * This plan with {@code check} first, for an entry with {@code reencrypt.backup-check}: nothing is staged, drained
     * or written until the check passed. A plan that does not re-encrypt, or already checks, is returned unchanged.
     */
    public Plan withBackupCheck(PlanStep check) {
        if (step(Step.REENCRYPT).isEmpty() || step(check.step()).isPresent()) {
            return this;
        }
        List<PlanStep> with = new ArrayList<>(steps);
        with.add(0, check);
        return new Plan(name, with, dryRun);
    }

    /**
     * This plan with {@code reload} right after UPDATE_SECRET, for an entry whose {@code reload:} names reloaders. An
     * entry without any runs the plan as it is: no step, no cost. A rehearsal, or a plan that already reloads or has
     * no UPDATE_SECRET, is returned unchanged.
     */
    public Plan withReload(PlanStep reload) {
        int update = -1;
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).step() == Step.UPDATE_SECRET) {
                update = i;
            }
        }
        if (dryRun || update < 0 || step(reload.step()).isPresent()) {
            return this;
        }
        List<PlanStep> with = new ArrayList<>(steps);
        with.add(update + 1, reload);
        return new Plan(name, with, false);
    }

    /**
     * This plan with {@code gate} (WAVE_GATE) after the steps a wave runs: after RELOAD_CONSUMERS when the plan
     * reloads, else after UPDATE_SECRET. A rehearsal, or a plan without UPDATE_SECRET or already gated, is returned
     * unchanged.
     */
    public Plan withGate(PlanStep gate) {
        int after = -1;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i).step();
            if (step == Step.UPDATE_SECRET || (after >= 0 && step == Step.RELOAD_CONSUMERS)) {
                after = i;
            }
        }
        if (dryRun || after < 0 || step(gate.step()).isPresent()) {
            return this;
        }
        List<PlanStep> with = new ArrayList<>(steps);
        with.add(after + 1, gate);
        return new Plan(name, with, false);
    }

    /** The index in the sequence of the step where each wave of a rollout starts (UPDATE_SECRET), or -1. */
    public int waveStart() {
        List<PlanStep> sequence = sequence();
        for (int i = 0; i < sequence.size(); i++) {
            if (sequence.get(i).step() == Step.UPDATE_SECRET) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The sequence's indices in the order they are compensated: the reverse of the sequence, except that a step
     * {@link PlanStep#undoingAfterPrevious() undone after the previous one} comes right after that one.
     */
    public List<Integer> compensationOrder() {
        List<Integer> order = new ArrayList<>();
        List<PlanStep> sequence = sequence();
        for (int i = sequence.size() - 1; i >= 0; i--) {
            order.add(i);
        }
        for (int k = 0; k < order.size() - 1; k++) {
            int i = order.get(k);
            if (sequence.get(i).undoneAfterPrevious() && order.get(k + 1) == i - 1) {
                order.set(k, i - 1);
                order.set(k + 1, i);
                k++;
            }
        }
        return order;
    }

    /** The step of this plan for {@code step}, if the plan has it. */
    public Optional<PlanStep> step(Step step) {
        return steps.stream().filter(s -> s.step() == step).findFirst();
    }

    /** The steps that run before the rotation is COMPLETED, in order. */
    public List<PlanStep> sequence() {
        return steps.stream().filter(s -> !s.deferred()).toList();
    }

    /** The step that runs after the grace period, if any. Its index is {@code sequence().size()}. */
    public Optional<PlanStep> deferred() {
        return steps.stream().filter(PlanStep::deferred).findFirst();
    }

    /** The step at a run index: the sequence, then the deferred step. */
    public PlanStep at(int index) {
        return index < sequence().size() ? sequence().get(index) : deferred().orElseThrow();
    }
}
