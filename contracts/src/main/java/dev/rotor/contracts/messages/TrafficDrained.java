package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The application is in maintenance mode (or the plan needs no drain). */
public record TrafficDrained(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt,
        UUID parentId)
        implements RotationEvent {
    public TrafficDrained {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public TrafficDrained(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, occurredAt, null);
    }
}
