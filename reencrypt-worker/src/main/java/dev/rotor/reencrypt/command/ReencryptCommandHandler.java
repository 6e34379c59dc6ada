package dev.rotor.reencrypt.command;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Decides the reply to a step command. This build has no re-encryption engine yet, so a forward REENCRYPT is refused
 * honestly (not retryable: a retry cannot make the code appear) and the saga compensates.
 *
 * <p>De-duplication: none is needed. The reply depends only on the command, so a redelivered command produces the
 * same reply again, and the orchestrator de-duplicates replies on (rotationId, step, attempt, direction).
 */
@ApplicationScoped
public class ReencryptCommandHandler {
    static final String NOT_IMPLEMENTED = "re-encryption is not implemented yet in this build";
    static final String NOTHING_TO_UNDO = "nothing to undo: this build never re-encrypts rows";

    /** The reply for a command, or empty when the step belongs to another service. */
    public Optional<StepResult> handle(StepRequested command) {
        if (command.step() != Step.REENCRYPT) {
            return Optional.empty();
        }
        if (command.direction() == Direction.COMPENSATE) {
            // A compensation must be safe when the action never happened; here it provably never did.
            return Optional.of(command.compensated(NOTHING_TO_UNDO));
        }
        return Optional.of(command.failed(false, NOT_IMPLEMENTED));
    }
}
