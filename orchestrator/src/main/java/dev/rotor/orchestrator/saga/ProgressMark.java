package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepProgress;
import java.time.Instant;

/** The latest progress a worker reported for a rotation's current attempt. */
public record ProgressMark(Step step, Direction direction, int attempt, long done, long total, double rowsPerSecond,
        Long etaSeconds, Instant updatedAt) {

    static ProgressMark of(StepProgress p) {
        return new ProgressMark(p.step(), p.direction(), p.attempt(), p.done(), p.total(), p.rowsPerSecond(),
                p.etaSeconds(), p.occurredAt());
    }
}
