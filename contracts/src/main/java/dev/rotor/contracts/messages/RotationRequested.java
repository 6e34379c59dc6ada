package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A rotation was accepted and its saga is about to start. */
public record RotationRequested(UUID rotationId, String secretId, Trigger trigger, String reason, String strategy, Instant occurredAt)
        implements RotationEvent {
    public RotationRequested {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        requireNonNull(strategy, "strategy");
    }
}
