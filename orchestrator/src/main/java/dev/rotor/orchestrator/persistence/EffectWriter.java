package dev.rotor.orchestrator.persistence;

import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.Saga;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Turns the engine's effects into outbox and timer rows inside the caller's transaction. Rows are persisted in effect
 * order, so the outbox {@code seq} keeps a rotation's messages in the order the engine decided them.
 */
@ApplicationScoped
public class EffectWriter {

    public Uni<Void> write(Saga saga, List<Effect> effects, Instant now) {
        List<Object> rows = new ArrayList<>();
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                rows.add(outbox(Topics.STEP_COMMANDS, send.command(), now));
            } else if (effect instanceof Effect.Publish publish) {
                rows.add(outbox(Topics.ROTATIONS, publish.event(), now));
            } else if (effect instanceof Effect.Schedule timer) {
                rows.add(timer(saga, timer, now));
            }
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // One flush per row keeps insert order equal to effect order (hence the outbox seq order).
        return Panache.getSession().chain(session -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Object row : rows) {
                chain = chain.chain(() -> session.persist(row)).chain(session::flush);
            }
            return chain;
        });
    }

    static OutboxEntity outbox(String topic, RotorMessage message, Instant now) {
        OutboxEntity row = new OutboxEntity();
        row.id = UUID.randomUUID();
        row.topic = topic;
        row.msgKey = message.subject();
        row.type = message.type();
        row.payload = MessageCodec.encodeToString(message);
        row.createdAt = now;
        return row;
    }

    private static TimerEntity timer(Saga saga, Effect.Schedule schedule, Instant now) {
        TimerEntity row = new TimerEntity();
        row.id = UUID.randomUUID();
        row.rotationId = saga.id;
        row.secretId = saga.secretId();
        row.kind = schedule.kind().name();
        row.dueAt = schedule.due();
        row.step = schedule.step() == null ? null : schedule.step().name();
        row.direction = schedule.direction() == null ? null : schedule.direction().name();
        row.attempt = schedule.attempt();
        row.version = schedule.version();
        row.createdAt = now;
        return row;
    }
}
