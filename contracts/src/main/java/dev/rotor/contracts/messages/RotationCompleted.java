package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The new version is current everywhere. A deferred retirement may still follow. */
public record RotationCompleted(UUID rotationId, String secretId, Trigger trigger, String reason, Integer fromVersion, int toVersion, Instant occurredAt)
        implements RotationEvent {
    public RotationCompleted {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }
}
