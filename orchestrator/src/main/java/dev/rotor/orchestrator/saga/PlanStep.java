package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Step;
import java.time.Duration;
import java.util.Objects;

/**
 * One step of a {@link Plan}.
 *
 * @param timeout how long an attempt may take before it counts as failed; null = the configured default
 * @param maxAttempts attempts per direction; null = the configured default
 * @param deferred runs after the rotation is COMPLETED, when the entry's grace expires (RETIRE_PREVIOUS)
 * @param keepPrevious passed to the worker in the step spec (UPDATE_SECRET keeps the old version as previous)
 */
public record PlanStep(Step step, Duration timeout, Integer maxAttempts, boolean deferred, boolean keepPrevious) {
    public PlanStep {
        Objects.requireNonNull(step, "step");
    }

    public static PlanStep of(Step step) {
        return new PlanStep(step, null, null, false, false);
    }

    public PlanStep keepingPrevious() {
        return new PlanStep(step, timeout, maxAttempts, deferred, true);
    }

    public PlanStep afterGrace() {
        return new PlanStep(step, timeout, maxAttempts, true, keepPrevious);
    }
}
