package dev.rotor.reencrypt.jobs;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import java.util.UUID;

/** What a command is de-duplicated on: the orchestrator's request identity (design §3). */
public record JobKey(UUID rotationId, Step step, int attempt, Direction direction) {
    public static JobKey of(StepRequested command) {
        return new JobKey(command.rotationId(), command.step(), command.attempt(), command.direction());
    }
}
