package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The step's compensation is done, or there was nothing to undo. */
public record StepCompensated(UUID rotationId, Step step, int attempt, String detail, Instant occurredAt)
        implements StepResult {
    public StepCompensated {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(step, "step");
        requireNonNull(occurredAt, "occurredAt");
    }

    @Override
    public Direction direction() {
        return Direction.COMPENSATE;
    }
}
