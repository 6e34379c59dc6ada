package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The step's forward action is done (or, with {@code direction = COMPENSATE}, never needed undoing).
 *
 * @param fromVersion the version that was current before (STAGE_SECRET reports it, including an adopted version 1)
 * @param toVersion the version the step produced or acted on
 * @param detail a short human summary, never secret material
 */
public record StepSucceeded(UUID rotationId, Step step, int attempt, Direction direction, Integer fromVersion,
        Integer toVersion, String detail, Instant occurredAt) implements StepResult {
    public StepSucceeded {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(step, "step");
        requireNonNull(direction, "direction");
        requireNonNull(occurredAt, "occurredAt");
    }
}
