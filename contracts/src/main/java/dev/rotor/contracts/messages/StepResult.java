package dev.rotor.contracts.messages;

import java.time.Instant;
import java.util.UUID;

/**
 * A worker's answer on {@link Topics#STEP_RESULTS}. The orchestrator de-duplicates replies on
 * {@code (rotationId, step, attempt, direction)}; progress reports are informational and never change saga state.
 */
public sealed interface StepResult extends RotorMessage
        permits StepSucceeded, StepFailed, StepProgress, StepCompensated {

    UUID rotationId();

    Step step();

    int attempt();

    Direction direction();

    Instant occurredAt();

    @Override
    default String subject() {
        return rotationId().toString();
    }
}
