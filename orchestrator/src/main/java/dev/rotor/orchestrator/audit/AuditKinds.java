package dev.rotor.orchestrator.audit;

/** The kinds of audit entry. Stable names: verifiers and reports outside Rotor filter on them. */
public final class AuditKinds {
    /** A rotation was accepted: who asked, why, from where. */
    public static final String ROTATION_REQUESTED = "rotation-requested";
    /** A responder asked to abort a running rotation. */
    public static final String ROTATION_ABORTED = "rotation-aborted";
    /** An approver approved a rotation awaiting approval. */
    public static final String APPROVAL_GIVEN = "approval-given";
    /** An approver denied a rotation awaiting approval. */
    public static final String APPROVAL_DENIED = "approval-denied";
    /** A mutating call was refused with 403: who tried what, lacking which role. */
    public static final String REQUEST_REFUSED = "request-refused";
    /** A step's attempt was sent (or, for a local step, begun), forward or as a compensation. */
    public static final String STEP_STARTED = "step-started";
    public static final String STEP_SUCCEEDED = "step-succeeded";
    /** A step's attempt failed; {@code retrying} says whether another attempt follows. */
    public static final String STEP_FAILED = "step-failed";
    /** A compensation succeeded: the step is undone. */
    public static final String STEP_COMPENSATED = "step-compensated";
    public static final String ROTATION_STARTED = "rotation-started";
    public static final String COMPENSATION_STARTED = "compensation-started";
    public static final String ROTATION_COMPLETED = "rotation-completed";
    public static final String ROTATION_ROLLED_BACK = "rotation-rolled-back";
    public static final String ROTATION_FAILED = "rotation-failed";
    /** What on-call must do by hand after a failed compensation. */
    public static final String MANUAL_STEPS = "manual-steps";
    /** The previous version was retired after its grace period. */
    public static final String PREVIOUS_RETIRED = "previous-retired";
    public static final String RETIREMENT_FAILED = "retirement-failed";
    /** The grace ended while the previous version was still in use (retire-when): its retirement waits. */
    public static final String RETIREMENT_DEFERRED = "retirement-deferred";
    /**
     * The previous version is still used past a bound: its share above alert-above after alert-after, or max-grace
     * over ({@code cause}); at max-grace it is retired anyway ({@code retiring}).
     */
    public static final String RETIREMENT_OVERDUE = "retirement-overdue";
    /** A responder forced the retirement of the previous version, whatever its grace or its share of use. */
    public static final String RETIREMENT_FORCED = "retirement-forced";

    private AuditKinds() {
    }
}
