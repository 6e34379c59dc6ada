package dev.rotor.orchestrator.saga;

/** What a durable timer does when it is due. */
public enum TimerKind {
    /** Moves an accepted rotation from REQUESTED to RUNNING (its first command). */
    START,
    /** An attempt ran out of time; it counts as a retryable failure if it is still the current attempt. */
    STEP_TIMEOUT,
    /** Sends the next attempt after the backoff. */
    RETRY,
    /** The grace period is over: run the deferred step (RETIRE_PREVIOUS). */
    RETIRE,
    /**
     * An attempt of a step the orchestrator performs itself (a local plan step). The row stays unfired until the
     * result is recorded, so a crash between the call and the record repeats the (idempotent) call.
     */
    RUN_LOCAL,
    /** A rotation's approval window is over: EXPIRED if it still awaits approval. */
    APPROVAL_EXPIRY
}
