package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The step, or its compensation, failed.
 *
 * @param retryable true for transient causes (timeouts, 5xx); false for refusals that a retry cannot fix
 * @param error what went wrong, naming the problem; never secret material
 */
public record StepFailed(UUID rotationId, Step step, int attempt, Direction direction, boolean retryable,
        String error, Instant occurredAt) implements StepResult {
    public StepFailed {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(step, "step");
        requireNonNull(direction, "direction");
        requireNonNull(error, "error");
        requireNonNull(occurredAt, "occurredAt");
    }
}
