package dev.rotor.orchestrator.schedule;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Runs one cron fire time of one secret at most once: the {@code schedule_run} row (primary key secret and fire time)
 * is claimed in the same transaction that accepts the rotation, or that records why it was skipped.
 */
@ApplicationScoped
public class ScheduledRuns {
    private static final Logger LOG = Logger.getLogger(ScheduledRuns.class);

    @Inject
    RotationService rotations;
    @Inject
    OutboxRelay relay;

    public Uni<Void> run(String secretId, Instant fireTime, Trigger trigger) {
        return Transactions.inTransaction(() -> claim(secretId, fireTime).chain(claimed -> {
            if (!claimed) {
                return Uni.createFrom().voidItem();
            }
            return rotations.acceptInTransaction(new RotationAsk(secretId, trigger, "scheduled (" + fireTime + ")", false,
                            Actor.schedule()))
                    .chain(row -> outcome(secretId, fireTime, "started " + row.id))
                    .invoke(() -> LOG.infof("scheduled rotation of %s for %s started", secretId, fireTime))
                    .onFailure(RotationRefused.class).recoverWithUni(f -> {
                        LOG.infof("scheduled rotation of %s for %s skipped: %s", secretId, fireTime, f.getMessage());
                        return outcome(secretId, fireTime, "skipped: " + f.getMessage());
                    });
        })).invoke(relay::trigger);
    }

    private static Uni<Boolean> claim(String secretId, Instant fireTime) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into schedule_run"
                        + " (secret_id, fire_time, outcome, recorded_at) values (?1, ?2, 'claimed', ?3)"
                        + " on conflict do nothing")
                .setParameter(1, secretId).setParameter(2, fireTime).setParameter(3, Instant.now())
                .executeUpdate()).map(rows -> rows == 1);
    }

    private static Uni<Void> outcome(String secretId, Instant fireTime, String outcome) {
        return Panache.getSession().chain(s -> s.createNativeQuery("update schedule_run set outcome = ?1"
                        + " where secret_id = ?2 and fire_time = ?3")
                .setParameter(1, outcome).setParameter(2, secretId).setParameter(3, fireTime)
                .executeUpdate()).replaceWithVoid();
    }
}
