package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A new version of the secret is stored as pending. */
public record SecretStaged(UUID rotationId, String secretId, Trigger trigger, String reason, String store,
        int version, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public SecretStaged {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        requireNonNull(store, "store");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public SecretStaged(UUID rotationId, String secretId, Trigger trigger, String reason, String store, int version,
            Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, store, version, occurredAt, null);
    }
}
