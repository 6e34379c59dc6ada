package dev.rotor.messaging;

import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSucceeded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * A worker's {@code rotor_step_executions_total{secret,step,direction,outcome}}: one per final reply this process
 * computed and sent (outcome succeeded, failed or compensated), labelled with the command's catalog secret id. So
 * secret-sync's versions staged, promoted and retired are its STAGE_SECRET, UPDATE_SECRET and RETIRE_PREVIOUS
 * FORWARD successes. A redelivered command that is handled again counts again: it was executed again, idempotently;
 * a duplicate the reencrypt-worker answers from a finished job is not counted.
 */
@ApplicationScoped
public class StepMetrics {
    public static final String EXECUTIONS = "rotor_step_executions_total";

    @Inject
    MeterRegistry registry;

    /** A final reply to {@code command} that went out; progress replies are ignored. */
    public void executed(StepRequested command, StepResult reply) {
        String outcome = reply instanceof StepSucceeded ? "succeeded" : reply instanceof StepFailed ? "failed"
                : reply instanceof StepCompensated ? "compensated" : null;
        if (outcome == null) {
            return;
        }
        Counter.builder(EXECUTIONS).description("Step commands executed, by their reply")
                .tags("secret", command.spec().secretId(), "step", reply.step().name(), "direction",
                        reply.direction().name(), "outcome", outcome)
                .register(registry).increment();
    }
}
