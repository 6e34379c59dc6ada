package dev.rotor.orchestrator.saga;

/** Where a rotation stands (design §4). Only the first three count as active: at most one per secret. */
public enum RotationState {
    REQUESTED, RUNNING, COMPENSATING, COMPLETED, ROLLED_BACK, FAILED;

    public boolean active() {
        return this == REQUESTED || this == RUNNING || this == COMPENSATING;
    }
}
