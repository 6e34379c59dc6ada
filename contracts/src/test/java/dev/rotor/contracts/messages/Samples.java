package dev.rotor.contracts.messages;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One fixed instance of every message type: the source of the wire fixtures. */
final class Samples {
    static final UUID ROTATION = UUID.fromString("5b0c7f3e-2a51-4a8e-9c1d-0f6b2d9e4a10");
    static final Instant AT = Instant.parse("2026-11-22T02:00:00Z");
    static final String SECRET = "jwt-secret";
    static final String REASON = "quarterly";

    private Samples() {
    }

    static StepSpec spec() {
        return new StepSpec(SECRET, SecretKind.SIGNING_KEY, Strategy.DUAL_KEY, new GeneratorSpec("base64", 64, null, null),
                new StoreRef("local", "app/jwt-secret", null),
                List.of(new TargetSpec("env-file", "/srv/app/.env.prod", "JWT_SECRET_CURRENT", "JWT_SECRET_PREVIOUS",
                        null)),
                null, null, 1, 2, true, false);
    }

    /** Keyed by the short wire name, e.g. {@code rotation-requested}. */
    static Map<String, RotorMessage> all() {
        Trigger t = Trigger.MANUAL;
        return Map.ofEntries(
                Map.entry("rotation-requested", new RotationRequested(ROTATION, SECRET, t, REASON, "dual-key", "alice", AT)),
                Map.entry("secret-staged", new SecretStaged(ROTATION, SECRET, t, REASON, "local", 2, AT)),
                Map.entry("traffic-drained", new TrafficDrained(ROTATION, SECRET, t, REASON, AT)),
                Map.entry("reencrypted", new Reencrypted(ROTATION, SECRET, t, REASON, 1, 2, 10000L, AT)),
                Map.entry("secret-updated", new SecretUpdated(ROTATION, SECRET, t, REASON, 2, 1, AT)),
                Map.entry("credential-applied", new CredentialApplied(ROTATION, SECRET, t, REASON, "app_user", 2, AT)),
                Map.entry("traffic-restored", new TrafficRestored(ROTATION, SECRET, t, REASON, AT)),
                Map.entry("previous-retired", new PreviousRetired(ROTATION, SECRET, t, REASON, 1, AT)),
                Map.entry("compensation-started", new CompensationStarted(ROTATION, SECRET, Trigger.EMERGENCY,
                        "leaked in git", Step.UPDATE_SECRET, "env file /srv/app/.env.prod is not writable", AT)),
                Map.entry("rotation-completed", new RotationCompleted(ROTATION, SECRET, t, REASON, 1, 2, AT)),
                Map.entry("rotation-rolled-back", new RotationRolledBack(ROTATION, SECRET, t, REASON,
                        Step.UPDATE_SECRET, "env file /srv/app/.env.prod is not writable", AT)),
                Map.entry("rotation-failed", new RotationFailed(ROTATION, SECRET, t, REASON,
                        "compensation of STAGE_SECRET failed", List.of("discard pending version 2 of app/jwt-secret"),
                        AT)),
                Map.entry("step-requested", new StepRequested(ROTATION, Step.UPDATE_SECRET, 1, Direction.FORWARD,
                        spec(), AT)),
                Map.entry("step-succeeded", new StepSucceeded(ROTATION, Step.STAGE_SECRET, 1, Direction.FORWARD, 1, 2,
                        "version 2 staged", AT)),
                Map.entry("step-failed", new StepFailed(ROTATION, Step.UPDATE_SECRET, 2, Direction.FORWARD, true,
                        "env file /srv/app/.env.prod is not writable", AT)),
                Map.entry("step-progress", new StepProgress(ROTATION, Step.REENCRYPT, 1, Direction.FORWARD, 5000, 10000,
                        2500.0, 2L, AT)),
                Map.entry("step-compensated", new StepCompensated(ROTATION, Step.STAGE_SECRET, 1,
                        "pending version 2 discarded", AT)),
                Map.entry("rotation-request-submitted", new RotationRequestSubmitted(ROTATION, SECRET,
                        Trigger.EMERGENCY, "leaked in git", "U024BE7LH", "slack", AT)),
                Map.entry("approval-requested", new ApprovalRequested(ROTATION, SECRET, t, REASON, "alice", 2,
                        List.of("approver"), Instant.parse("2026-11-23T02:00:00Z"), AT)),
                Map.entry("approval-skipped", new ApprovalSkipped(ROTATION, SECRET, Trigger.EMERGENCY,
                        "leaked in git", "alice", AT)),
                Map.entry("rotation-approved", new RotationApproved(ROTATION, SECRET, t, REASON,
                        List.of("bob", "carol"), AT)),
                Map.entry("rotation-denied", new RotationDenied(ROTATION, SECRET, t, REASON, "bob",
                        "change freeze for the release", AT)),
                Map.entry("rotation-expired", new RotationExpired(ROTATION, SECRET, t, REASON, List.of("bob"), AT)),
                Map.entry("freeze-overridden", new FreezeOverridden(ROTATION, SECRET, Trigger.EMERGENCY,
                        "leaked in git", "year-end change freeze", AT)),
                Map.entry("retire-deferred", new RetireDeferred(ROTATION, SECRET, t, REASON, 1, 0.12, 0.05,
                        Instant.parse("2026-11-29T02:00:00Z"), "prometheus answered 0.12", AT)),
                Map.entry("retire-overdue", new RetireOverdue(ROTATION, SECRET, t, REASON, 1, RetireOverdue.MAX_GRACE,
                        null, 0.05, true, AT)),
                Map.entry("audit-checkpoint", new AuditCheckpoint(42,
                        "bd8f77242caf74d48f5f21e4fabb909b7ebb15b81a6ef2968af24917875d8459", AT)));
    }
}
