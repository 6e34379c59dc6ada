package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** The target database role now uses the new version, and a login with it succeeded. */
public record CredentialApplied(UUID rotationId, String secretId, Trigger trigger, String reason, String role,
        int version, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public CredentialApplied {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        requireNonNull(role, "role");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public CredentialApplied(UUID rotationId, String secretId, Trigger trigger, String reason, String role,
            int version, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, role, version, occurredAt, null);
    }
}
