package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * An EMERGENCY started inside a change freeze, which stops every other rotation. Published right after
 * {@link RotationRequested}; {@code freeze} is the freeze's reason from the catalog.
 */
public record FreezeOverridden(UUID rotationId, String secretId, Trigger trigger, String reason, String freeze,
        Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public FreezeOverridden {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(freeze, "freeze");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public FreezeOverridden(UUID rotationId, String secretId, Trigger trigger, String reason, String freeze,
            Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, freeze, occurredAt, null);
    }
}
