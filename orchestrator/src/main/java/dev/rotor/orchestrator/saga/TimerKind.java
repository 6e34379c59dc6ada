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
    APPROVAL_EXPIRY,
    /**
     * The grace is over for a retirement gated on use (catalog {@code retire-when}): probe the previous version's share
     * of use, then retire it or defer again. The probe is an HTTP call made outside any transaction, by
     * {@code retire.UsageChecks}; the row is marked fired in the transaction that records the decision.
     */
    USAGE_CHECK
}
