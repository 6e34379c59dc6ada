package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A rotation was accepted and its saga is about to start. {@code requestedBy} is who asked: the subject of the
 * caller's token ({@code alice}, {@code cli:root}), a bridge's subject ({@code slack:U024BE7LH}), or {@code schedule};
 * null only in records written before it existed.
 */
public record RotationRequested(UUID rotationId, String secretId, Trigger trigger, String reason, String strategy,
        String requestedBy, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RotationRequested {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(occurredAt, "occurredAt");
        requireNonNull(strategy, "strategy");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation (or the record predates it). */
    public RotationRequested(UUID rotationId, String secretId, Trigger trigger, String reason, String strategy,
            String requestedBy, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, strategy, requestedBy, occurredAt, null);
    }
}
