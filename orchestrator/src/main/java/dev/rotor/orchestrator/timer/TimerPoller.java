package dev.rotor.orchestrator.timer;

import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.rotation.SagaDriver;
import dev.rotor.orchestrator.saga.TimerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Fires due durable timers (start, retries, step timeouts, retirements after grace) from the {@code timer} table, so
 * they survive a restart. Each timer is fired in its own transaction; {@link SagaDriver#fire} ignores one already
 * fired, so an overlap does no harm. Local steps (RUN_LOCAL) are left to the
 * {@link dev.rotor.orchestrator.drain.LocalStepRunner}, which must call out before it records.
 */
@ApplicationScoped
public class TimerPoller {
    private static final Logger LOG = Logger.getLogger(TimerPoller.class);

    @Inject
    SagaDriver driver;

    @Scheduled(every = "${rotor.orchestrator.timer-poll-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return Panache.withSession(() -> TimerEntity.<TimerEntity>find("firedAt is null and dueAt <= ?1 and kind <> ?2"
                        + " order by dueAt, createdAt", Instant.now(), TimerKind.RUN_LOCAL.name()).page(0, 100).list())
                .onItem().transformToMulti(timers -> Multi.createFrom().iterable(timers))
                .onItem().transformToUniAndConcatenate(timer -> fire(timer.id))
                .collect().last().replaceWithVoid()
                .onFailure().recoverWithItem(f -> {
                    LOG.warnf("timer poll failed, will retry: %s", f.getMessage());
                    return null;
                });
    }

    private Uni<Void> fire(UUID timerId) {
        return driver.fire(timerId).onFailure().recoverWithItem(f -> {
            LOG.warnf("timer %s failed, will retry: %s", timerId, f.getMessage());
            return null;
        });
    }
}
