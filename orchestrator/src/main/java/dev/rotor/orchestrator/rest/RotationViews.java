package dev.rotor.orchestrator.rest;

import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.RotationStepEntity;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The API's views of rotations; entities never leave the persistence layer as JSON. */
public final class RotationViews {
    private RotationViews() {
    }

    /** The answer to an accepted request. */
    public record Created(UUID id, String state) {
    }

    /** One step of a rotation in one direction. */
    public record StepView(String step, String direction, String status, int attempts, Instant startedAt,
            Instant finishedAt, String error) {
    }

    /** A rotation with its steps. */
    public record Detail(UUID id, String secretId, String strategy, String trigger, String reason, String state,
            Integer fromVersion, Integer toVersion, Instant requestedAt, Instant completedAt, String error,
            List<String> manualSteps, List<StepView> steps) {
    }

    /** A rotation in a list, without steps. */
    public record Summary(UUID id, String secretId, String strategy, String trigger, String reason, String state,
            Integer fromVersion, Integer toVersion, Instant requestedAt, Instant completedAt, String error) {
    }

    static Detail detail(RotationEntity r, List<RotationStepEntity> steps) {
        return new Detail(r.id, r.secretId, r.strategy, r.trigger, r.reason, r.state, r.fromVersion, r.toVersion,
                r.requestedAt, r.completedAt, r.error,
                r.manualSteps == null ? List.of() : List.of(r.manualSteps.split("\n")),
                steps.stream().map(s -> new StepView(s.step, s.direction, s.status, s.attempts, s.startedAt,
                        s.finishedAt, s.error)).toList());
    }

    static Summary summary(RotationEntity r) {
        return new Summary(r.id, r.secretId, r.strategy, r.trigger, r.reason, r.state, r.fromVersion, r.toVersion,
                r.requestedAt, r.completedAt, r.error);
    }
}
