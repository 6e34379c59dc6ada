package dev.rotor.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * A milestone of a rotation, published by the orchestrator on {@link Topics#ROTATIONS}. Facts only: references and
 * version numbers, never secret material.
 */
public sealed interface RotationEvent extends RotorMessage
        permits RotationRequested, SecretStaged, TrafficDrained, Reencrypted, SecretUpdated, CredentialApplied,
        TrafficRestored, PreviousRetired, CompensationStarted, RotationCompleted, RotationRolledBack, RotationFailed,
        ApprovalRequested, ApprovalSkipped, RotationApproved, RotationDenied, RotationExpired, FreezeOverridden,
        RetireDeferred, RetireOverdue {

    UUID rotationId();

    String secretId();

    Trigger trigger();

    /** The operator's free-text reason, or null. Never secret material. */
    String reason();

    Instant occurredAt();

    /**
     * The rotation whose related-entry cascade started this one ({@code related:} in the catalog), or null: a
     * reference, so that a reader (the notifier's Slack message, an outside subscriber) can tell a child from its
     * parent. Optional on the wire: left out when null, and absent in records written before it existed.
     */
    UUID parentId();

    @Override
    default String subject() {
        return rotationId().toString();
    }

    /** Emergencies, failures, rollbacks and a previous version still used past its bounds must reach on-call first. */
    default boolean urgent() {
        return trigger() == Trigger.EMERGENCY || this instanceof RotationFailed || this instanceof RotationRolledBack
                || this instanceof CompensationStarted || this instanceof RetireOverdue;
    }

    /** True for the events after which the rotation does nothing more (apart from a deferred retirement). */
    default boolean terminal() {
        return this instanceof RotationCompleted || this instanceof RotationRolledBack || this instanceof RotationFailed
                || this instanceof RotationDenied || this instanceof RotationExpired;
    }
}
