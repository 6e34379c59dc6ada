package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The previous version was destroyed or archived after its grace period. */
public record PreviousRetired(UUID rotationId, String secretId, Trigger trigger, String reason, int version, Instant occurredAt)
        implements RotationEvent {
    public PreviousRetired {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }
}
