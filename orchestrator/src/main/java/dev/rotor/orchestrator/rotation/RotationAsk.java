package dev.rotor.orchestrator.rotation;

import static java.util.Objects.requireNonNull;

import dev.rotor.contracts.messages.Trigger;

/**
 * What a trigger asks of {@link RotationService}: which secret, why, a rehearsal or not, and who asked.
 *
 * @param requestedBy the token's subject for REST, the bridge's subject for Kafka requests ({@code slack:U…}),
 *                    {@value #SCHEDULE} for the schedule
 */
public record RotationAsk(String secretId, Trigger trigger, String reason, boolean dryRun, String requestedBy) {
    public static final String SCHEDULE = "schedule";

    public RotationAsk {
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(requestedBy, "requestedBy");
    }
}
