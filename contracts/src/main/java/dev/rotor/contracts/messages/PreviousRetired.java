package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The previous version was destroyed or archived after its grace period. */
public record PreviousRetired(UUID rotationId, String secretId, Trigger trigger, String reason, int version,
        Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public PreviousRetired {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public PreviousRetired(UUID rotationId, String secretId, Trigger trigger, String reason, int version,
            Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, version, occurredAt, null);
    }
}
