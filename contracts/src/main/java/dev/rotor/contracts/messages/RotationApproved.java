package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Enough distinct approvers approved: the rotation starts now. {@code approvers} are their subjects, in order. */
public record RotationApproved(UUID rotationId, String secretId, Trigger trigger, String reason,
        List<String> approvers, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationApproved {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        approvers = approvers == null ? List.of() : List.copyOf(approvers);
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationApproved(UUID rotationId, String secretId, Trigger trigger, String reason, List<String> approvers,
            Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, approvers, occurredAt, null);
    }
}
