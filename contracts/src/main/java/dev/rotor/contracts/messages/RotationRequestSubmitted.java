package dev.rotor.contracts.messages;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * A request to rotate a secret from outside the orchestrator (chat-ops, incident bridges), on
 * {@link Topics#ROTATION_REQUESTS}. The orchestrator de-duplicates on {@code requestId}.
 */
public record RotationRequestSubmitted(UUID requestId, String secretId, Trigger trigger, String reason,
        String requestedBy, String source, Instant submittedAt) implements RotorMessage {
    public RotationRequestSubmitted {
        requireNonNull(requestId, "requestId");
        requireNonNull(secretId, "secretId");
        requireNonNull(trigger, "trigger");
        requireNonNull(submittedAt, "submittedAt");
    }

    @Override
    public String subject() {
        return requestId.toString();
    }
}
