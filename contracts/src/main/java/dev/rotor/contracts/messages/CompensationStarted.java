package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A step failed for good; the saga now undoes the completed steps in reverse. */
public record CompensationStarted(UUID rotationId, String secretId, Trigger trigger, String reason, Step failedStep,
        String error, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public CompensationStarted {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        requireNonNull(failedStep, "failedStep");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public CompensationStarted(UUID rotationId, String secretId, Trigger trigger, String reason, Step failedStep,
            String error, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, failedStep, error, occurredAt, null);
    }
}
