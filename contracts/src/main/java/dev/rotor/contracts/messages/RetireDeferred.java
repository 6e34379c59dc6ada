package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The grace is over but the previous version is still in use (catalog {@code retire-when}): its retirement waits until
 * the share stays at or below {@code maxShare} long enough, and at the latest until {@code retireBy}. Sent once, when
 * the retirement is first deferred.
 *
 * @param share the previous version's share of use as last probed (0 to 1); null when the probe gave no answer
 * @param maxShare the share at or below which it is retired (0 to 1)
 * @param retireBy when it is retired whatever the share (max-grace)
 * @param probe what the probe reported, e.g. {@code prometheus answered 0.12}; never a response body
 */
public record RetireDeferred(UUID rotationId, String secretId, Trigger trigger, String reason, int version,
        Double share, double maxShare, Instant retireBy, String probe, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public RetireDeferred {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(retireBy, "retireBy");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation. */
    public RetireDeferred(UUID rotationId, String secretId, Trigger trigger, String reason, int version, Double share,
            double maxShare, Instant retireBy, String probe, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, version, share, maxShare, retireBy, probe, occurredAt, null);
    }
}
