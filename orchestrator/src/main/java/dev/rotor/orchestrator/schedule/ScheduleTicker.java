package dev.rotor.orchestrator.schedule;

import dev.rotor.contracts.catalog.Durations;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.CronSchedule;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Starts SCHEDULED rotations from each entry's cron (Quartz syntax, UTC). A one-second tick compares fire times with
 * an in-memory cursor; {@link ScheduledRuns} records each (secret, fire time) durably, so each runs at most once even
 * across restarts. On the first tick, a fire time missed while down runs once if still inside the entry's window.
 * Fire times deferred by a change freeze or the entry's windows run when their deferral is due.
 */
@ApplicationScoped
public class ScheduleTicker {
    private static final Logger LOG = Logger.getLogger(ScheduleTicker.class);

    @Inject
    CatalogHolder catalog;
    @Inject
    ScheduledRuns runs;

    private final Map<String, Instant> cursors = new ConcurrentHashMap<>();

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    Uni<Void> tick() {
        Instant now = Instant.now();
        List<Due> due = new ArrayList<>();
        for (SecretEntry entry : catalog.secrets()) {
            if (entry.schedule() == null || entry.schedule().cron() == null) {
                continue;
            }
            CronSchedule cron = CronSchedule.parse(entry.schedule().cron());
            Instant cursor = cursors.get(entry.id());
            if (cursor == null) {
                Duration window = entry.schedule().window() == null ? null
                        : Durations.parse(entry.schedule().window());
                FireTimes.catchUp(cron, window, now).ifPresent(t -> due.add(new Due(entry.id(), t, true)));
            } else {
                FireTimes.due(cron, cursor, now, 5).forEach(t -> due.add(new Due(entry.id(), t, false)));
            }
            cursors.put(entry.id(), now);
        }
        return Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(d -> runs.run(d.secretId(), d.fireTime(), Trigger.SCHEDULED)
                        .onFailure().recoverWithItem(f -> {
                            LOG.warnf("scheduled rotation of %s at %s failed to start: %s", d.secretId(),
                                    d.fireTime(), f.getMessage());
                            return null;
                        }))
                .collect().last().replaceWithVoid()
                .chain(() -> runs.dueDeferrals(now))
                .chain(deferrals -> Multi.createFrom().iterable(deferrals)
                        .onItem().transformToUniAndConcatenate(d -> runs.runDeferred(d)
                                .onFailure().recoverWithItem(f -> {
                                    LOG.warnf("deferred scheduled rotation of %s (due %s) failed to start: %s",
                                            d.secretId(), d.dueAt(), f.getMessage());
                                    return null;
                                }))
                        .collect().last().replaceWithVoid());
    }

    record Due(String secretId, Instant fireTime, boolean catchUp) {
    }
}
