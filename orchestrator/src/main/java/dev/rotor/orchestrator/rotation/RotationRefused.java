package dev.rotor.orchestrator.rotation;

/** A rotation request the orchestrator will not start; {@link Reason} decides the HTTP status. */
public class RotationRefused extends RuntimeException {
    /** Why a request was refused. */
    public enum Reason {
        UNKNOWN_SECRET, ALREADY_ACTIVE, STRATEGY_NOT_IMPLEMENTED, DRY_RUN_NOT_SUPPORTED, FROZEN,
        /** backupCheckOverride for an entry that has no backup check. */
        NOTHING_TO_OVERRIDE
    }

    private final Reason reason;

    public RotationRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
