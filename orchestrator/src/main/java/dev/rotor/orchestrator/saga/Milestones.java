package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.CredentialApplied;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.Reencrypted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.TrafficDrained;
import dev.rotor.contracts.messages.TrafficRestored;
import java.time.Instant;
import java.util.Optional;

/** The milestone event that a step's forward success stands for (design §3). */
final class Milestones {
    private Milestones() {
    }

    static Optional<RotationEvent> after(Saga s, PlanStep step, StepSucceeded reply, Instant now) {
        int to = s.toVersion == null ? 0 : s.toVersion;
        RotationEvent event = switch (step.step()) {
            case STAGE_SECRET -> new SecretStaged(s.id, s.secretId(), s.trigger, s.reason, s.baseSpec.store().type(),
                    to, now);
            case UPDATE_SECRET -> new SecretUpdated(s.id, s.secretId(), s.trigger, s.reason, to,
                    step.keepPrevious() ? s.fromVersion : null, now);
            case DRAIN_TRAFFIC -> new TrafficDrained(s.id, s.secretId(), s.trigger, s.reason, now);
            case RESTORE_TRAFFIC -> new TrafficRestored(s.id, s.secretId(), s.trigger, s.reason, now);
            case REENCRYPT -> new Reencrypted(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion, to, 0, now);
            case APPLY_CREDENTIAL -> new CredentialApplied(s.id, s.secretId(), s.trigger, s.reason,
                    s.baseSpec.credential() == null ? "" : String.valueOf(s.baseSpec.credential().role()), to, now);
            case RETIRE_PREVIOUS -> new PreviousRetired(s.id, s.secretId(), s.trigger, s.reason,
                    reply.fromVersion() != null ? reply.fromVersion() : s.fromVersion, now);
        };
        return Optional.of(event);
    }
}
