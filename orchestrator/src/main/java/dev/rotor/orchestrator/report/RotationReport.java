package dev.rotor.orchestrator.report;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What an auditor asks about one rotation: who, why, with whose approval, the plan it ran with, what happened when,
 * what it touched (paths and fields, never values) and what is left to do. Built from the rotation's rows, its frozen
 * plan, its approvals and the milestones it published; references and version numbers only.
 *
 * @param exposure for an EMERGENCY: from the incident (else the request) to the moment the old value stopped
 *                 working; null otherwise
 * @param parentId the rotation whose related-entry cascade started this one, if any
 * @param incident the incident it answers ({@code pagerduty:Q1ABC}), if any
 * @param children the related entries' rotations this one started, each with its outcome
 * @param audit the audit entries of this rotation, in chain order, with their hashes
 */
public record RotationReport(String id, String secretId, String strategy, String trigger, String reason,
        String requestedBy, Instant requestedAt, String state, Instant completedAt, String error,
        List<Approval> approvals, PlanView plan, StoreRef store, List<TargetSpec> targets, Integer fromVersion,
        Integer toVersion, List<StepLine> timeline, Long rowsReencrypted, List<Milestone> milestones,
        List<String> manualSteps, Exposure exposure, List<AuditLine> audit, String parentId, String incident,
        Instant incidentAt, List<Child> children) {

    /** A related entry's rotation that this one started, and how it ended (or its state so far). */
    public record Child(String id, String secretId, String state, String error, Instant completedAt) {
    }

    /** One person's decision. */
    public record Approval(String subject, String decision, String roles, String reason, Instant decidedAt) {
    }

    /** The frozen plan: its name and its steps with their retry policies. */
    public record PlanView(String name, boolean dryRun, List<PlanStepView> steps) {
    }

    /** One step of the frozen plan; null values were left to the engine's defaults. */
    public record PlanStepView(String step, Duration timeout, Integer maxAttempts, Duration backoff,
            boolean deferred, boolean compensable) {
    }

    /** One step in one direction as it ran. */
    public record StepLine(String step, String direction, String status, int attempts, Instant startedAt,
            Instant finishedAt, Long durationMillis, String error, String detail) {
    }

    /** A milestone the rotation published, and when it left the outbox. */
    public record Milestone(String type, Instant at, Instant publishedAt) {
    }

    /**
     * How long a leaked value stayed usable. {@code end} is null while the old value still works.
     *
     * @param until what ended it: UPDATE_SECRET (destroyed at once) or RETIRE_PREVIOUS (after the grace)
     */
    public record Exposure(Instant start, Instant end, Duration length, String until) {
    }

    /** One audit entry. */
    public record AuditLine(long seq, Instant at, String kind, String subject, String hash) {
    }
}
