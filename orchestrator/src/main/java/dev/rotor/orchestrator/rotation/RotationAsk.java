package dev.rotor.orchestrator.rotation;

import static java.util.Objects.requireNonNull;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;

/**
 * What a trigger asks of {@link RotationService}: which secret, why, a rehearsal or not, and who asked.
 *
 * @param by who asked, as the audit log records it: the token's subject and roles for REST, the bridge's subject for
 *           Kafka requests ({@code slack:U…}), {@value Actor#SCHEDULE_SUBJECT} for the schedule
 */
public record RotationAsk(String secretId, Trigger trigger, String reason, boolean dryRun, Actor by) {
    public RotationAsk {
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(by, "by");
    }

    /** The requester recorded on the rotation: the subject of {@link #by}. */
    public String requestedBy() {
        return by.subject();
    }
}
