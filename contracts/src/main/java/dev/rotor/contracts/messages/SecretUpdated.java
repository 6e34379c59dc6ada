package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The pending version is now current and was pushed to the targets; the old one is previous, or gone when null. */
public record SecretUpdated(UUID rotationId, String secretId, Trigger trigger, String reason, int currentVersion,
        Integer previousVersion, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public SecretUpdated {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public SecretUpdated(UUID rotationId, String secretId, Trigger trigger, String reason, int currentVersion,
            Integer previousVersion, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, currentVersion, previousVersion, occurredAt, null);
    }
}
