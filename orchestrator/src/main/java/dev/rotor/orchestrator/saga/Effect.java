package dev.rotor.orchestrator.saga;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import java.time.Instant;

/**
 * What the engine decided must happen besides the state change. The caller commits all of them with the state, in one
 * transaction: messages become outbox rows, timers become timer rows.
 */
public sealed interface Effect {

    /** A command for a worker on rotor.step-commands. */
    record Send(StepRequested command) implements Effect {
    }

    /** A milestone on rotor.rotations. */
    record Publish(RotationEvent event) implements Effect {
    }

    /** A durable timer. {@code version} is the version to retire for {@link TimerKind#RETIRE}. */
    record Schedule(TimerKind kind, Instant due, Step step, Direction direction, Integer attempt, Integer version)
            implements Effect {
    }
}
