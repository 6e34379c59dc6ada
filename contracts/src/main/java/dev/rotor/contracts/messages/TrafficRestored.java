package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** Maintenance mode ended. */
public record TrafficRestored(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt)
        implements RotationEvent {
    public TrafficRestored {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }
}
