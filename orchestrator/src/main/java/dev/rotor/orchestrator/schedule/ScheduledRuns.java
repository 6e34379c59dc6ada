package dev.rotor.orchestrator.schedule;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.ChangeCalendar;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.Transactions;
import dev.rotor.orchestrator.tracing.TraceContext;
import dev.rotor.orchestrator.tracing.Traces;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Runs one cron fire time of one secret at most once: the {@code schedule_run} row (primary key secret and fire time)
 * is claimed in the same transaction that accepts the rotation, or that records why it was skipped or deferred.
 *
 * <p>A fire time inside a change freeze, or outside the entry's windows, is deferred: the {@code schedule_run} row
 * says until when and why, and a {@code schedule_deferral} row (claimed once, like the run) makes the ticker run it at
 * the next allowed time, when the calendar is asked again.
 */
@ApplicationScoped
public class ScheduledRuns {
    private static final Logger LOG = Logger.getLogger(ScheduledRuns.class);

    @Inject
    RotationService rotations;
    @Inject
    OutboxRelay relay;
    @Inject
    CatalogHolder catalog;
    @Inject
    Traces traces;
    @Inject
    Pool client;

    /** A deferred fire time that is due. */
    public record Deferral(String secretId, Instant fireTime, Instant dueAt) {
    }

    /**
     * Runs one fire time, in a {@code schedule <secret>} span that is the root of the rotation's trace (see
     * {@link Traces#inSpan}); a fire time another instance claimed first makes an empty span.
     */
    public Uni<Void> run(String secretId, Instant fireTime, Trigger trigger) {
        return traces.inSpan("schedule " + secretId, TraceContext.NONE, () -> Transactions.inTransaction(
                        () -> claim(secretId, fireTime).chain(claimed -> claimed
                                ? start(secretId, fireTime, trigger, Instant.now()) : Uni.createFrom().voidItem())))
                .invoke(relay::trigger);
    }

    /**
     * Runs a deferral once it is due: claimed (done) in the same transaction as the run or the next deferral. Its run
     * is keyed by the time it is due (the freeze's end, the window's start), which a cron fire time can equal: so it
     * claims that {@code schedule_run} row like a cron fire, and whichever of the two claims it runs it, once.
     */
    public Uni<Void> runDeferred(Deferral d) {
        return traces.inSpan("schedule " + d.secretId(), TraceContext.NONE, () -> Transactions.inTransaction(
                () -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "update schedule_deferral set done_at = ?1 where secret_id = ?2 and fire_time = ?3"
                                + " and done_at is null")
                .setParameter(1, Instant.now()).setParameter(2, d.secretId()).setParameter(3, d.fireTime())
                .executeUpdate())
                .chain(rows -> rows == 1 ? claim(d.secretId(), d.fireTime()) : Uni.createFrom().item(false))
                .chain(claimed -> claimed ? start(d.secretId(), d.fireTime(), Trigger.SCHEDULED, Instant.now())
                        : Uni.createFrom().voidItem())))
                .invoke(relay::trigger);
    }

    /**
     * The deferrals due at {@code now}, oldest first. Read through the reactive client, not as a Hibernate native
     * select: the ticker polls this every second, and each native select added a plan to Hibernate's cache (see
     * QueryPlanCacheTest).
     */
    public Uni<List<Deferral>> dueDeferrals(Instant now) {
        return client.preparedQuery("select secret_id, fire_time, due_at from schedule_deferral where done_at is null"
                        + " and due_at <= $1 order by due_at limit 50")
                .execute(Tuple.of(now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<Deferral> due = new ArrayList<>();
                    for (Row r : rows) {
                        due.add(new Deferral(r.getString(0), r.getOffsetDateTime(1).toInstant(),
                                r.getOffsetDateTime(2).toInstant()));
                    }
                    return due;
                });
    }

    private Uni<Void> start(String secretId, Instant fireTime, Trigger trigger, Instant now) {
        Optional<SecretEntry> entry = catalog.find(secretId);
        if (entry.isPresent()) {
            ChangeCalendar calendar = catalog.calendar();
            Optional<ChangeCalendar.Freeze> freeze = calendar.freezeAt(now);
            boolean inWindow = ChangeCalendar.inWindow(entry.get().windows(), now);
            if (freeze.isPresent() || !inWindow) {
                String why = freeze.map(f -> "change freeze until " + f.end() + " (" + f.reason() + ")")
                        .orElse("outside the entry's windows");
                return defer(secretId, fireTime, calendar.nextAllowed(entry.get().windows(), now), why);
            }
        }
        return rotations.acceptInTransaction(new RotationAsk(secretId, trigger, "scheduled (" + fireTime + ")",
                        false, Actor.schedule()))
                .chain(row -> outcome(secretId, fireTime, "started " + row.id))
                .invoke(() -> LOG.infof("scheduled rotation of %s for %s started", secretId, fireTime))
                .onFailure(RotationRefused.class).recoverWithUni(f -> {
                    LOG.infof("scheduled rotation of %s for %s skipped: %s", secretId, fireTime, f.getMessage());
                    return outcome(secretId, fireTime, "skipped: " + f.getMessage());
                });
    }

    private Uni<Void> defer(String secretId, Instant fireTime, Optional<Instant> until, String why) {
        if (until.isEmpty()) {
            LOG.errorf("scheduled rotation of %s for %s skipped: %s, and no allowed time within %s", secretId,
                    fireTime, why, ChangeCalendar.HORIZON);
            return outcome(secretId, fireTime, "skipped: " + why + ", and no allowed time within "
                    + ChangeCalendar.HORIZON);
        }
        LOG.infof("scheduled rotation of %s for %s deferred to %s: %s", secretId, fireTime, until.get(), why);
        return outcome(secretId, fireTime, "deferred to " + until.get() + ": " + why)
                .chain(() -> Panache.getSession().chain(s -> s.createNativeQuery("insert into schedule_deferral"
                                + " (secret_id, fire_time, due_at, reason) values (?1, ?2, ?3, ?4)"
                                + " on conflict do nothing")
                        .setParameter(1, secretId).setParameter(2, until.get()).setParameter(3, until.get())
                        .setParameter(4, why).executeUpdate()))
                .replaceWithVoid();
    }

    private static Uni<Boolean> claim(String secretId, Instant fireTime) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into schedule_run"
                        + " (secret_id, fire_time, outcome, recorded_at) values (?1, ?2, 'claimed', ?3)"
                        + " on conflict do nothing")
                .setParameter(1, secretId).setParameter(2, fireTime).setParameter(3, Instant.now())
                .executeUpdate()).map(rows -> rows == 1);
    }

    private static Uni<Void> outcome(String secretId, Instant fireTime, String outcome) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into schedule_run"
                        + " (secret_id, fire_time, outcome, recorded_at) values (?1, ?2, ?3, ?4)"
                        + " on conflict (secret_id, fire_time) do update set outcome = excluded.outcome,"
                        + " recorded_at = excluded.recorded_at")
                .setParameter(1, secretId).setParameter(2, fireTime).setParameter(3, outcome)
                .setParameter(4, Instant.now())
                .executeUpdate()).replaceWithVoid();
    }
}
