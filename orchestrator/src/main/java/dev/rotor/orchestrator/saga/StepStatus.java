package dev.rotor.orchestrator.saga;

/** The status of one step in one direction. */
public enum StepStatus {
    /** A command for the current attempt is out; only a reply to that attempt counts. */
    RUNNING,
    /** The last attempt failed in a retryable way; a retry timer will send the next one. */
    RETRY_WAIT,
    SUCCEEDED,
    FAILED,
    COMPENSATED
}
