package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Step;
import java.time.Duration;
import java.util.Objects;

/**
 * One step of a {@link Plan}. Everything the engine does differently for a step is declared here, never inferred from
 * the step's name.
 *
 * @param timeout how long an attempt may take before it counts as failed; null = the configured default (or the long
 *     default for a {@code longRunning} step). A progress report for the current attempt restarts this clock
 * @param maxAttempts attempts per direction; null = the configured default
 * @param deferred runs after the rotation is COMPLETED, when the entry's grace expires (RETIRE_PREVIOUS)
 * @param keepPrevious passed to the worker in the step spec (UPDATE_SECRET keeps the old version as previous)
 * @param local performed by the orchestrator itself (traffic drain and restore) rather than by a command on Kafka
 * @param compensable false for a step with nothing to undo: on the way back it is passed over without a command
 * @param longRunning uses the long step timeout (re-encryption), kept alive by progress reports; set by
 *     {@link #reportingProgress()}
 */
public record PlanStep(Step step, Duration timeout, Integer maxAttempts, boolean deferred, boolean keepPrevious,
        boolean local, boolean compensable, boolean longRunning) {
    public PlanStep {
        Objects.requireNonNull(step, "step");
    }

    /** A step with the defaults; it is local exactly when the orchestrator is the step's participant. */
    public static PlanStep of(Step step) {
        return new PlanStep(step, null, null, false, false, step.participant() == Step.Participant.ORCHESTRATOR,
                true, false);
    }

    public PlanStep keepingPrevious() {
        return new PlanStep(step, timeout, maxAttempts, deferred, true, local, compensable, longRunning);
    }

    public PlanStep afterGrace() {
        return new PlanStep(step, timeout, maxAttempts, true, keepPrevious, local, compensable, longRunning);
    }

    public PlanStep withoutCompensation() {
        return new PlanStep(step, timeout, maxAttempts, deferred, keepPrevious, local, false, longRunning);
    }

    public PlanStep reportingProgress() {
        return new PlanStep(step, timeout, maxAttempts, deferred, keepPrevious, local, compensable, true);
    }
}
