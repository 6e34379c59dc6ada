package dev.rotor.orchestrator.rotation;

import dev.rotor.orchestrator.drain.LocalStepRunner;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * What runs after a saga transaction committed: the relay publishes the new outbox rows, and the local step runner
 * picks up any local step just recorded, instead of both waiting for their next poll.
 */
@ApplicationScoped
public class AfterCommit {
    @Inject
    OutboxRelay relay;
    @Inject
    LocalStepRunner localSteps;

    public void run() {
        relay.trigger();
        localSteps.wake();
    }
}
