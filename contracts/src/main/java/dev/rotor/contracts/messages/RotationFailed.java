package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A compensation could not run. On-call must finish by hand with the recorded steps. */
public record RotationFailed(UUID rotationId, String secretId, Trigger trigger, String reason, String error,
        List<String> manualSteps, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationFailed {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        manualSteps = manualSteps == null ? List.of() : List.copyOf(manualSteps);
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationFailed(UUID rotationId, String secretId, Trigger trigger, String reason, String error,
            List<String> manualSteps, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, error, manualSteps, occurredAt, null);
    }
}
