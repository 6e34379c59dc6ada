package dev.rotor.orchestrator.saga;

import java.util.List;
import java.util.Optional;

/**
 * A saga plan as data: the ordered steps the {@link SagaEngine} walks forward, and back (compensating) on failure. At
 * most one deferred step, and it comes last.
 */
public record Plan(String name, List<PlanStep> steps) {
    public Plan {
        steps = List.copyOf(steps);
        long deferred = steps.stream().filter(PlanStep::deferred).count();
        if (deferred > 1 || (deferred == 1 && !steps.get(steps.size() - 1).deferred())) {
            throw new IllegalArgumentException("plan " + name + ": at most one deferred step, and it must be last");
        }
        if (steps.stream().allMatch(PlanStep::deferred)) {
            throw new IllegalArgumentException("plan " + name + " has no step");
        }
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
