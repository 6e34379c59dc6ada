package dev.rotor.orchestrator.saga;

/**
 * Where a rotation stands (design §4). The active states hold the secret: at most one rotation per secret is active
 * (the database's partial unique index covers all of them but WAITING, which only an emergency that supersedes a
 * rotation enters, while that one is still active).
 */
public enum RotationState {
    REQUESTED, RUNNING, COMPENSATING, COMPLETED, ROLLED_BACK, FAILED,
    /** Waits for the approvals its entry requires; no step has run. */
    AWAITING_APPROVAL,
    /** An emergency waiting for the rotation it supersedes to be undone; no step has run. */
    WAITING,
    /** An approver denied it while it awaited approval; nothing was touched. */
    DENIED,
    /** Its approval window passed first; nothing was touched. */
    EXPIRED;

    public boolean active() {
        return this == REQUESTED || this == RUNNING || this == COMPENSATING || this == AWAITING_APPROVAL
                || this == WAITING;
    }

    public boolean terminal() {
        return !active();
    }
}
