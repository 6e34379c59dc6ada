package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** Progress of a long step (re-encryption), about once a second. Informational only. */
public record StepProgress(UUID rotationId, Step step, int attempt, Direction direction, long done, long total,
        double rowsPerSecond, Long etaSeconds, Instant occurredAt) implements StepResult {
    public StepProgress {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(step, "step");
        requireNonNull(direction, "direction");
        requireNonNull(occurredAt, "occurredAt");
    }
}
