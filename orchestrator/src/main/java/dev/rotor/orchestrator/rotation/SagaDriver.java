package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepProgress;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.persistence.SagaStore;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.SagaEngine;
import dev.rotor.orchestrator.saga.TimerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Feeds replies and due timers to the engine. Each call is one transaction: the de-dupe row (or the timer's
 * {@code fired_at}), the new state and the outbox rows commit together; the relay is woken after the commit.
 */
@ApplicationScoped
public class SagaDriver {
    private static final Logger LOG = Logger.getLogger(SagaDriver.class);

    @Inject
    SagaStore store;
    @Inject
    SagaEngineProvider engines;
    @Inject
    OutboxRelay relay;

    /**
     * Applies a worker reply. De-duplicates on (rotationId, step, attempt, direction) through {@code processed_reply};
     * a reply for an attempt that is no longer current is recorded there too, and otherwise ignored. Progress reports
     * never change state.
     */
    public Uni<Void> onReply(StepResult reply) {
        if (reply instanceof StepProgress p) {
            LOG.debugf("rotation %s %s progress %d/%d", p.rotationId(), p.step(), p.done(), p.total());
            return Uni.createFrom().voidItem();
        }
        return Transactions.inTransaction(() -> recordReply(reply).chain(fresh -> {
            if (!fresh) {
                LOG.infof("rotation %s: duplicate %s for %s %s attempt %d ignored", reply.rotationId(),
                        reply.type(), reply.step(), reply.direction(), reply.attempt());
                return Uni.createFrom().voidItem();
            }
            return store.load(reply.rotationId()).chain(loaded -> {
                if (loaded == null) {
                    LOG.warnf("reply %s for unknown rotation %s ignored", reply.type(), reply.rotationId());
                    return Uni.createFrom().voidItem();
                }
                SagaEngine engine = engines.engine();
                if (!engine.isCurrent(loaded.saga(), reply)) {
                    LOG.infof("rotation %s: stale %s for %s %s attempt %d ignored", reply.rotationId(),
                            reply.type(), reply.step(), reply.direction(), reply.attempt());
                    return Uni.createFrom().voidItem();
                }
                Instant now = Instant.now();
                return store.save(loaded, engine.onReply(loaded.saga(), reply, now), now);
            });
        })).invoke(relay::trigger);
    }

    private static Uni<Boolean> recordReply(StepResult reply) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into processed_reply"
                + " (rotation_id, step, attempt, direction, reply_type, received_at) values (?1, ?2, ?3, ?4, ?5, ?6)"
                + " on conflict do nothing")
                .setParameter(1, reply.rotationId())
                .setParameter(2, reply.step().name())
                .setParameter(3, reply.attempt())
                .setParameter(4, reply.direction().name())
                .setParameter(5, reply.type())
                .setParameter(6, Instant.now())
                .executeUpdate())
                .map(rows -> rows == 1);
    }

    /** Acts on one due timer once: {@code fired_at} is set in the same transaction as the resulting state change. */
    public Uni<Void> fire(UUID timerId) {
        return Transactions.inTransaction(() -> TimerEntity.<TimerEntity>findById(timerId).chain(timer -> {
            if (timer == null || timer.firedAt != null) {
                return Uni.createFrom().voidItem();
            }
            Instant now = Instant.now();
            timer.firedAt = now;
            return store.load(timer.rotationId).chain(loaded -> {
                if (loaded == null) {
                    return Uni.createFrom().voidItem();
                }
                List<Effect> effects = apply(engines.engine(), loaded, timer, now);
                return store.save(loaded, effects, now);
            });
        })).invoke(relay::trigger);
    }

    private static List<Effect> apply(SagaEngine engine, SagaStore.Loaded loaded, TimerEntity timer, Instant now) {
        var saga = loaded.saga();
        Step step = timer.step == null ? null : Step.valueOf(timer.step);
        Direction direction = timer.direction == null ? null : Direction.valueOf(timer.direction);
        return switch (TimerKind.valueOf(timer.kind)) {
            case START -> engine.begin(saga, now);
            case STEP_TIMEOUT -> engine.onTimeout(saga, step, direction, timer.attempt, now);
            case RETRY -> engine.onRetryDue(saga, step, direction, timer.attempt, now);
            case RETIRE -> engine.onRetireDue(saga, now);
        };
    }
}
