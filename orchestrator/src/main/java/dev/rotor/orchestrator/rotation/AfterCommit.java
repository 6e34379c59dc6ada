package dev.rotor.orchestrator.rotation;

import dev.rotor.orchestrator.drain.LocalStepRunner;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.timer.TimerPoller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What runs after a saga transaction committed: the relay publishes the new outbox rows, the local step runner picks
 * up any local step just recorded, and the timer poller fires any timer already due (a new rotation's START), instead
 * of each waiting for its next poll.
 */
@ApplicationScoped
public class AfterCommit {
    @Inject
    OutboxRelay relay;
    @Inject
    LocalStepRunner localSteps;
    @Inject
    TimerPoller timers;

    public void run() {
        relay.trigger();
        localSteps.wake();
        timers.wake();
    }
}
