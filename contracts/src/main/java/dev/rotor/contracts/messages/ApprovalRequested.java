package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rotation waits for approval (AWAITING_APPROVAL) and no step runs until {@code required} distinct people holding
 * one of {@code roles}, none of them {@code requestedBy}, approve it before {@code expiresAt}.
 */
public record ApprovalRequested(UUID rotationId, String secretId, Trigger trigger, String reason, String requestedBy,
        int required, List<String> roles, Instant expiresAt, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public ApprovalRequested {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(expiresAt, "expiresAt");
        requireNonNull(occurredAt, "occurredAt");
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public ApprovalRequested(UUID rotationId, String secretId, Trigger trigger, String reason, String requestedBy,
            int required, List<String> roles, Instant expiresAt, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, requestedBy, required, roles, expiresAt, occurredAt, null);
    }
}
