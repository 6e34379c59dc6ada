package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Step;
import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One step of a {@link Plan}. Everything the engine does differently for a step is declared here, never inferred from
 * the step's name.
 *
 * <p>Retries: each value of a step's {@link RetryPolicy} comes from the first of these that sets it:
 * <ol>
 *   <li>the configuration ({@code rotor.orchestrator.step-timeout}, {@code max-attempts}, {@code backoff},
 *       {@code max-backoff}; {@code long-step-timeout} for a {@code longRunning} step), when set. Unset by default;
 *       a value set there applies to every step, so tests and operators can shorten (or stretch) all of them at
 *       once;</li>
 *   <li>this plan step ({@link #timeout(Duration)}, {@link #attempts(int)}, {@link #backoff(Duration)}): the value
 *       that suits what the step does;</li>
 *   <li>the engine's built-in default ({@link EngineSettings#BUILT_IN}: 60 s, 3 attempts, 2 s doubling up to 5 min;
 *       2 h for a long-running step's timeout).</li>
 * </ol>
 * Configuration wins over the plan rather than only capping it because a single key must be able to shorten every
 * step, and one an operator sets must do what its name says.
 *
 * @param retry timeout, attempts and backoff of this step; null values fall through as described above. A progress
 *     report for the current attempt restarts the timeout
 * @param deferred runs after the rotation is COMPLETED, when the entry's grace expires (RETIRE_PREVIOUS)
 * @param keepPrevious passed to the worker in the step spec (UPDATE_SECRET keeps the old version as previous)
 * @param local performed by the orchestrator itself (traffic drain and restore) rather than by a command on Kafka
 * @param compensable false for a step with nothing to undo: on the way back it is passed over without a command
 * @param longRunning uses the long step timeout (re-encryption, kept alive by progress reports; a rollout's gate);
 *     set by {@link #reportingProgress()} and {@link #waitingLong()}
 * @param undoneAfterPrevious on the way back, compensated right after the step before it rather than before it:
 *     RELOAD_CONSUMERS reloads the consumers once UPDATE_SECRET has put the old value back; set by
 *     {@link #undoingAfterPrevious()}
 */
public record PlanStep(Step step, RetryPolicy retry, boolean deferred, boolean keepPrevious, boolean local,
        boolean compensable, boolean longRunning, boolean undoneAfterPrevious) {
    public PlanStep {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(retry, "retry");
        Duration base = retry.backoff();
        Duration cap = retry.backoffCap();
        if (base != null && cap != null && cap.compareTo(base) < 0) {
            throw new IllegalArgumentException(step + ": backoff cap " + cap + " is shorter than the backoff " + base);
        }
    }

    /** A step with the defaults; it is local exactly when the orchestrator is the step's participant. */
    public static PlanStep of(Step step) {
        return new PlanStep(step, RetryPolicy.UNSET, false, false,
                step.participant() == Step.Participant.ORCHESTRATOR, true, false, false);
    }

    /** How long an attempt may take (positive). */
    public PlanStep timeout(Duration timeout) {
        return retrying(r -> r.withTimeout(timeout));
    }

    /** Attempts per direction (at least 1). */
    public PlanStep attempts(int maxAttempts) {
        return retrying(r -> r.withMaxAttempts(maxAttempts));
    }

    /** The wait after the first failure (positive), doubling after each further one up to the default cap. */
    public PlanStep backoff(Duration base) {
        return retrying(r -> r.withBackoff(base));
    }

    /** The wait after the first failure, doubling after each further one up to {@code cap} (not below base). */
    public PlanStep backoff(Duration base, Duration cap) {
        return retrying(r -> r.withBackoff(base).withBackoffCap(cap));
    }

    public PlanStep keepingPrevious() {
        return new PlanStep(step, retry, deferred, true, local, compensable, longRunning, undoneAfterPrevious);
    }

    public PlanStep afterGrace() {
        return new PlanStep(step, retry, true, keepPrevious, local, compensable, longRunning, undoneAfterPrevious);
    }

    public PlanStep withoutCompensation() {
        return new PlanStep(step, retry, deferred, keepPrevious, local, false, longRunning, undoneAfterPrevious);
    }

    public PlanStep reportingProgress() {
        return new PlanStep(step, retry, deferred, keepPrevious, local, compensable, true, undoneAfterPrevious);
    }

    /**
     * Long-running without progress reports: one attempt is a long wait (a rollout's gate), bounded by its own
     * timeout, or by the long step timeout when that is configured.
     */
    public PlanStep waitingLong() {
        return new PlanStep(step, retry, deferred, keepPrevious, local, compensable, true, undoneAfterPrevious);
    }

    public PlanStep undoingAfterPrevious() {
        return new PlanStep(step, retry, deferred, keepPrevious, local, compensable, longRunning, true);
    }

    /** A refused value names the step, so the failing line of a plan is plain. */
    private PlanStep retrying(UnaryOperator<RetryPolicy> change) {
        RetryPolicy changed;
        try {
            changed = change.apply(retry);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(step + ": " + e.getMessage(), e);
        }
        return new PlanStep(step, changed, deferred, keepPrevious, local, compensable, longRunning,
                undoneAfterPrevious);
    }
}
