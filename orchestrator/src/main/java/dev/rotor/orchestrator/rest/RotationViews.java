package dev.rotor.orchestrator.rest;

import dev.rotor.orchestrator.persistence.RetireGates;
import dev.rotor.orchestrator.saga.RetireGate;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.rotor.contracts.json.RotorJson;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationProgressEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import dev.rotor.orchestrator.rollout.RolloutStatus;
import dev.rotor.orchestrator.saga.Affected;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The API's views of rotations; entities never leave the persistence layer as JSON. */
public final class RotationViews {
    private RotationViews() {
    }

    /** The answer to an accepted request or an abort. */
    public record Created(UUID id, String state) {
    }

    /** One step of a rotation in one direction; {@code detail} is the worker's summary. */
    public record StepView(String step, String direction, String status, int attempts, Instant startedAt,
            Instant finishedAt, String error, String detail) {
    }

    /** The latest progress report of the rotation's current attempt. */
    public record ProgressView(String step, String direction, int attempt, long done, long total,
            double rowsPerSecond, Long etaSeconds, Instant updatedAt) {
    }

    /**
     * A rotation with its steps. {@code result} is a dry run's report; {@code retirementError} says why the deferred
     * retirement failed (the rotation stays COMPLETED); {@code manualSteps} and {@code affected} are set when it ended
     * FAILED; {@code retireGate} is where a retirement gated on use stands (the share last probed, since when it is
     * low, the outcome), null until its first probe; {@code rollout} is where a rolling cohort rollout stands (the
     * current wave, the waves, the targets reached, the gate), null without one.
     */
    public record Detail(UUID id, String secretId, String strategy, String trigger, String reason,
            String requestedBy, boolean dryRun, String state, Integer fromVersion, Integer toVersion, Instant requestedAt, Instant completedAt,
            String error, String result, String retirementError, List<String> manualSteps, Affected affected,
            ProgressView progress, List<StepView> steps, UUID waitsFor, UUID parentId, String incident,
            Instant incidentAt, List<Child> children, RetireGate retireGate, RolloutStatus rollout) {
    }

    /** A rotation of a related entry that this one started (its family), with its outcome so far. */
    public record Child(UUID id, String secretId, String state, String error, Instant completedAt) {
        public static Child of(RotationEntity r) {
            return new Child(r.id, r.secretId, r.state, r.error, r.completedAt);
        }
    }

    /** A rotation in a list, without steps. */
    public record Summary(UUID id, String secretId, String strategy, String trigger, String reason,
            String requestedBy, boolean dryRun, String state, Integer fromVersion, Integer toVersion, Instant requestedAt, Instant completedAt,
            String error) {
    }

    static Detail detail(RotationEntity r, List<RotationStepEntity> steps, RotationProgressEntity p,
            List<RotationEntity> children) {
        return new Detail(r.id, r.secretId, r.strategy, r.trigger, r.reason, r.requestedBy, r.dryRun, r.state, r.fromVersion,
                r.toVersion, r.requestedAt, r.completedAt, r.error, r.result, r.retirementError,
                r.manualSteps == null ? List.of() : List.of(r.manualSteps.split("\n")), affected(r.affected),
                p == null ? null : new ProgressView(p.step, p.direction, p.attempt, p.done, p.total,
                        p.rowsPerSecond, p.etaSeconds, p.updatedAt),
                steps.stream().map(s -> new StepView(s.step, s.direction, s.status, s.attempts, s.startedAt,
                        s.finishedAt, s.error, s.detail)).toList(), r.waitsFor, r.parentId, r.incident, r.incidentAt,
                children.stream().map(Child::of).toList(), RetireGates.read(r.retireGate), RolloutStatus.of(r));
    }

    static Summary summary(RotationEntity r) {
        return new Summary(r.id, r.secretId, r.strategy, r.trigger, r.reason, r.requestedBy, r.dryRun, r.state, r.fromVersion,
                r.toVersion, r.requestedAt, r.completedAt, r.error);
    }

    private static Affected affected(String json) {
        if (json == null) {
            return null;
        }
        try {
            return RotorJson.mapper().readValue(json, Affected.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable affected record", e);
        }
    }
}
