package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** Every completed step was compensated: the system is as it was before the rotation. */
public record RotationRolledBack(UUID rotationId, String secretId, Trigger trigger, String reason, Step failedStep,
        String error, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationRolledBack {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationRolledBack(UUID rotationId, String secretId, Trigger trigger, String reason, Step failedStep,
            String error, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, failedStep, error, occurredAt, null);
    }
}
