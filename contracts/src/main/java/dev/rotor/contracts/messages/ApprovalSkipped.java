package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Break-glass: an EMERGENCY of an entry that needs approval runs at once without it ({@code approval.emergency: skip}).
 * Published right after {@link RotationRequested}, so on-call and the archive see that nobody approved it.
 */
public record ApprovalSkipped(UUID rotationId, String secretId, Trigger trigger, String reason, String requestedBy,
        Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public ApprovalSkipped {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public ApprovalSkipped(UUID rotationId, String secretId, Trigger trigger, String reason, String requestedBy,
            Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, requestedBy, occurredAt, null);
    }
}
