package dev.rotor.orchestrator.rotation;

import dev.rotor.orchestrator.drain.LocalStepRunner;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.persistence.EffectWriter;
import dev.rotor.orchestrator.timer.TimerPoller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What runs after a saga transaction committed: the relay publishes the new outbox rows, the local step runner picks
 * up any local step just recorded, and the timer poller fires any timer already due, instead of each waiting for its
 * next poll. The last two only run when a transaction wrote such a timer (see {@link EffectWriter}), so a burst of
 * replies does not become a burst of scans.
 */
@ApplicationScoped
public class AfterCommit {
    @Inject
    OutboxRelay relay;
    @Inject
    LocalStepRunner localSteps;
    @Inject
    TimerPoller timers;
    @Inject
    EffectWriter effects;

    public void run() {
        relay.trigger();
        if (effects.takeLocalStepWritten()) {
            localSteps.wake();
        }
        if (effects.takeDueTimerWritten()) {
            timers.wake();
        }
    }
}
