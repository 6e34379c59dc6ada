package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.CredentialApplied;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.Reencrypted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.TrafficDrained;
import dev.rotor.contracts.messages.TrafficRestored;
import dev.rotor.contracts.catalog.CredentialSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The milestone event that a step's forward success stands for (design §3). */
final class Milestones {
    private static final Pattern ROWS = Pattern.compile("(\\d[\\d,_]*)\\s+rows?\\b");

    private Milestones() {
    }

    static Optional<RotationEvent> after(Saga s, PlanStep step, StepSucceeded reply, Instant now) {
        int to = s.toVersion == null ? 0 : s.toVersion;
        RotationEvent event = switch (step.step()) {
            case STAGE_SECRET -> new SecretStaged(s.id, s.secretId(), s.trigger, s.reason, s.baseSpec.store().type(),
                    to, now, s.parentId);
            // A rollout's later waves write more targets; the version became current once, in the first.
            case UPDATE_SECRET -> s.wave() > 1 ? null : new SecretUpdated(s.id, s.secretId(), s.trigger, s.reason, to,
                    step.keepPrevious() ? s.fromVersion : null, now, s.parentId);
            case DRAIN_TRAFFIC -> new TrafficDrained(s.id, s.secretId(), s.trigger, s.reason, now, s.parentId);
            case RESTORE_TRAFFIC -> new TrafficRestored(s.id, s.secretId(), s.trigger, s.reason, now, s.parentId);
            case REENCRYPT -> new Reencrypted(s.id, s.secretId(), s.trigger, s.reason, s.fromVersion, to,
                    rows(s, reply), now, s.parentId);
            case APPLY_CREDENTIAL -> new CredentialApplied(s.id, s.secretId(), s.trigger, s.reason,
                    role(s.baseSpec.credential()), to, now, s.parentId);
            case RETIRE_PREVIOUS -> new PreviousRetired(s.id, s.secretId(), s.trigger, s.reason,
                    reply.fromVersion() != null ? reply.fromVersion() : s.fromVersion, now, s.parentId);
            // No milestone of its own: rotation-completed follows, and the step's detail names the reloaders.
            case RELOAD_CONSUMERS -> null;
            // Nothing changed yet; the timeline and the audit log show the check's detail.
            case CHECK_BACKUP -> null;
            // The step's detail says how the gate held; the next wave or rotation-completed follows.
            case WAVE_GATE -> null;
        };
        return Optional.ofNullable(event);
    }

    /**
     * The rows re-encrypted: "N rows" in the worker's detail, else the last progress of this attempt. The contract has
     * no row count on StepSucceeded, so this is best effort; 0 when neither says.
     */
    static long rows(Saga s, StepSucceeded reply) {
        if (reply.detail() != null) {
            Matcher m = ROWS.matcher(reply.detail());
            if (m.find()) {
                return Long.parseLong(m.group(1).replace(",", "").replace("_", ""));
            }
        }
        ProgressMark p = s.progress;
        if (p != null && p.step() == Step.REENCRYPT && p.direction() == Direction.FORWARD
                && p.attempt() == reply.attempt()) {
            return p.done();
        }
        return 0;
    }

    static String role(CredentialSpec c) {
        if (c == null) {
            return "";
        }
        if (c.role() != null) {
            return c.role();
        }
        return c.roles() == null ? "" : String.join("/", c.roles());
    }
}
