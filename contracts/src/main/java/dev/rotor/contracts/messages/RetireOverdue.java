package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * Urgent: the previous version is still used when it should not be (catalog {@code retire-when}). Two causes:
 * <ul>
 *   <li>{@link #ALERT_ABOVE}: its share is above {@code alert-above} after {@code alert-after}; it stays in place, and
 *   a responder may force the retirement;</li>
 *   <li>{@link #MAX_GRACE}: {@code max-grace} is over, so it is retired now whatever the share
 *   ({@code retiring} is true); clients still using it will fail.</li>
 * </ul>
 *
 * @param share the share of use as last probed (0 to 1); null when the probe gave no answer
 * @param threshold the share the cause compares with: alert-above, or max-share at max-grace (0 to 1)
 */
public record RetireOverdue(UUID rotationId, String secretId, Trigger trigger, String reason, int version,
        String cause, Double share, double threshold, boolean retiring, Instant occurredAt, UUID parentId)
        implements RotationEvent {
    public static final String ALERT_ABOVE = "alert-above";
    public static final String MAX_GRACE = "max-grace";

    public RetireOverdue {
        requireNonNull(rotationId, "rotationId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(cause, "cause");
        requireNonNull(occurredAt, "occurredAt");
    }

    /** Without {@code parentId}: no related-entry cascade started this rotation. */
    public RetireOverdue(UUID rotationId, String secretId, Trigger trigger, String reason, int version, String cause,
            Double share, double threshold, boolean retiring, Instant occurredAt) {
        this(rotationId, secretId, trigger, reason, version, cause, share, threshold, retiring, occurredAt, null);
    }
}
