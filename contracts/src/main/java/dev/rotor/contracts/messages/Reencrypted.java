package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The data was re-encrypted from one key version to another. */
public record Reencrypted(UUID rotationId, String secretId, Trigger trigger, String reason, Integer fromVersion,
        int toVersion, long rows, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public Reencrypted {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public Reencrypted(UUID rotationId, String secretId, Trigger trigger, String reason, Integer fromVersion,
            int toVersion, long rows, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, fromVersion, toVersion, rows, occurredAt, null);
    }
}
