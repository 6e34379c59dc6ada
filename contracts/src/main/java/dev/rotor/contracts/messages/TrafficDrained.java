package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The application is in maintenance mode (or the plan needs no drain). */
public record TrafficDrained(UUID rotationId, String secretId, Trigger trigger, String reason, Instant occurredAt)
        implements RotationEvent {
    public TrafficDrained {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }
}
