package dev.rotor.orchestrator.persistence;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Skips every scheduled database task once the service is stopping. Quarkus stops the scheduler only after the
 * datasources close, so without this each tick of the last seconds failed with "Pool closed" and logged an ERROR with
 * its stack trace at every shutdown. Whatever a skipped tick would have done (a due timer, an outbox row, a schedule)
 * stays in the database for the next instance.
 */
@Singleton
public class ShuttingDown implements Scheduled.SkipPredicate {
    private volatile boolean stopping;

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return stopping;
    }
}
