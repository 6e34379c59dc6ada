package dev.rotor.orchestrator.rotation;

import static java.util.Objects.requireNonNull;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;

/**
 * What a trigger asks of {@link RotationService}: which secret, why, a rehearsal or not, and who asked.
 *
 * @param by who asked, as the audit log records it: the token's subject and roles for REST, the bridge's subject for
 *           Kafka requests ({@code slack:U…}), {@value Actor#SCHEDULE_SUBJECT} for the schedule
 * @param backupCheckOverride why the entry's {@code reencrypt.backup-check} is skipped for this rotation (recorded in
 *           the audit log), or null to run it
 */
public record RotationAsk(String secretId, Trigger trigger, String reason, boolean dryRun, Actor by, Origin origin,
        String backupCheckOverride) {
    public RotationAsk {
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(by, "by");
        origin = origin == null ? Origin.NONE : origin;
    }

    public RotationAsk(String secretId, Trigger trigger, String reason, boolean dryRun, Actor by, Origin origin) {
        this(secretId, trigger, reason, dryRun, by, origin, null);
    }

    public RotationAsk(String secretId, Trigger trigger, String reason, boolean dryRun, Actor by) {
        this(secretId, trigger, reason, dryRun, by, Origin.NONE);
    }

    /**
     * What the rotation answers, beyond who asked: the rotation whose related-entry cascade started it, and the
     * incident ({@code pagerduty:Q1ABC}) with the time it began. All null for an ordinary request.
     */
    public record Origin(java.util.UUID parentId, String incident, java.time.Instant incidentAt) {
        public static final Origin NONE = new Origin(null, null, null);

        Origin childOf(java.util.UUID parent) {
            return new Origin(parent, incident, incidentAt);
        }
    }

    /** The requester recorded on the rotation: the subject of {@link #by}. */
    public String requestedBy() {
        return by.subject();
    }
}
