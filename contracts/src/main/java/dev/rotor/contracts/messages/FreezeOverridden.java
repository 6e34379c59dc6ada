package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * An EMERGENCY started inside a change freeze, which stops every other rotation. Published right after
 * {@link RotationRequested}; {@code freeze} is the freeze's reason from the catalog.
 */
public record FreezeOverridden(UUID rotationId, String secretId, Trigger trigger, String reason, String freeze,
        Instant occurredAt) implements RotationEvent {
    public FreezeOverridden {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(freeze, "freeze");
        requireNonNull(occurredAt, "occurredAt");
    }
}
