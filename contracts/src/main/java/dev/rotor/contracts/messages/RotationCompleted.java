package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The new version is current everywhere. A deferred retirement may still follow. */
public record RotationCompleted(UUID rotationId, String secretId, Trigger trigger, String reason, Integer fromVersion,
        int toVersion, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationCompleted {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationCompleted(UUID rotationId, String secretId, Trigger trigger, String reason, Integer fromVersion,
            int toVersion, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, fromVersion, toVersion, occurredAt, null);
    }
}
