package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** An approver denied the rotation while it awaited approval: it ends DENIED, and nothing was touched. */
public record RotationDenied(UUID rotationId, String secretId, Trigger trigger, String reason, String deniedBy,
        String denial, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationDenied {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(deniedBy, "deniedBy");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationDenied(UUID rotationId, String secretId, Trigger trigger, String reason, String deniedBy,
            String denial, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, deniedBy, denial, occurredAt, null);
    }
}
