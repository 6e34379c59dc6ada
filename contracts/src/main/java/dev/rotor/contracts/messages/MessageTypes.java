package dev.rotor.contracts.messages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The frozen map between logical wire types and records. Changing a name here breaks every consumer: add a
 * {@code .v2} type instead.
 */
public final class MessageTypes {
    private static final Map<String, Class<? extends RotorMessage>> BY_TYPE = new LinkedHashMap<>();
    private static final Map<Class<?>, String> BY_CLASS = new LinkedHashMap<>();

    static {
        register("rotation-requested", RotationRequested.class);
        register("secret-staged", SecretStaged.class);
        register("traffic-drained", TrafficDrained.class);
        register("reencrypted", Reencrypted.class);
        register("secret-updated", SecretUpdated.class);
        register("credential-applied", CredentialApplied.class);
        register("traffic-restored", TrafficRestored.class);
        register("previous-retired", PreviousRetired.class);
        register("compensation-started", CompensationStarted.class);
        register("rotation-completed", RotationCompleted.class);
        register("rotation-rolled-back", RotationRolledBack.class);
        register("rotation-failed", RotationFailed.class);
        register("step-requested", StepRequested.class);
        register("step-succeeded", StepSucceeded.class);
        register("step-failed", StepFailed.class);
        register("step-progress", StepProgress.class);
        register("step-compensated", StepCompensated.class);
        register("rotation-request-submitted", RotationRequestSubmitted.class);
        register("approval-requested", ApprovalRequested.class);
        register("approval-skipped", ApprovalSkipped.class);
        register("rotation-approved", RotationApproved.class);
        register("rotation-denied", RotationDenied.class);
        register("rotation-expired", RotationExpired.class);
        register("freeze-overridden", FreezeOverridden.class);
        register("audit-checkpoint", AuditCheckpoint.class);
        register("retire-deferred", RetireDeferred.class);
        register("retire-overdue", RetireOverdue.class);
    }

    private MessageTypes() {
    }

    private static final String PREFIX = "dev.rotor.";
    private static final String SUFFIX = ".v1";

    private static void register(String name, Class<? extends RotorMessage> type) {
        String wire = PREFIX + name + SUFFIX;
        BY_TYPE.put(wire, type);
        BY_CLASS.put(type, wire);
    }

    /** The wire type of a record class. */
    public static String typeOf(Class<?> type) {
        String wire = BY_CLASS.get(type);
        if (wire == null) {
            throw new IllegalArgumentException("no wire type registered for " + type.getSimpleName());
        }
        return wire;
    }

    /** The short name of a wire type, {@code secret-updated} for {@code dev.rotor.secret-updated.v1}; others as given. */
    public static String nameOf(String type) {
        return type.startsWith(PREFIX) && type.endsWith(SUFFIX)
                ? type.substring(PREFIX.length(), type.length() - SUFFIX.length()) : type;
    }

    /** The record class of a wire type, if it is one of ours. */
    public static Optional<Class<? extends RotorMessage>> classOf(String type) {
        return Optional.ofNullable(type == null ? null : BY_TYPE.get(type));
    }

    /** Every registered wire type, in a stable order. */
    public static Map<String, Class<? extends RotorMessage>> all() {
        return Map.copyOf(BY_TYPE);
    }
}
