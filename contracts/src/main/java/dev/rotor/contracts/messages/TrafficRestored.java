package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** Maintenance mode ended. */
public record TrafficRestored(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt,
        UUID parentId)
        implements RotationEvent {
    public TrafficRestored {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public TrafficRestored(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, occurredAt, null);
    }
}
