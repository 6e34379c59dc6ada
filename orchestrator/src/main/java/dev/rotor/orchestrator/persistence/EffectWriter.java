package dev.rotor.orchestrator.persistence;

import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.saga.Effect;
import dev.rotor.orchestrator.saga.Saga;
import dev.rotor.orchestrator.saga.TimerKind;
import dev.rotor.orchestrator.tracing.TraceContext;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns the engine's effects into outbox and timer rows inside the caller's transaction, and flushes the session once.
 * Rows are persisted in effect order, so the outbox {@code seq} keeps a rotation's messages in the order the engine
 * decided them.
 */
@ApplicationScoped
public class EffectWriter {
    /** Hints for {@link #takeLocalStepWritten()} and {@link #takeDueTimerWritten()}. */
    private final AtomicBoolean localStepWritten = new AtomicBoolean();
    private final AtomicBoolean dueTimerWritten = new AtomicBoolean();

    /**
     * True (once) when a transaction wrote a local step's timer since the last call: the runner should look now
     * rather than at its next poll. A hint only: a concurrent commit may take it early, and then the poll finds it.
     */
    public boolean takeLocalStepWritten() {
        return localStepWritten.getAndSet(false);
    }

    /** True (once) when a transaction wrote a timer that is already due; a hint, as above. */
    public boolean takeDueTimerWritten() {
        return dueTimerWritten.getAndSet(false);
    }

    public Uni<Void> write(Saga saga, List<Effect> effects, Instant now) {
        List<Object> rows = new ArrayList<>();
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send send) {
                rows.add(outbox(Topics.STEP_COMMANDS, send.command(), now));
            } else if (effect instanceof Effect.Publish publish) {
                rows.add(outbox(Topics.ROTATIONS, publish.event(), now));
            } else if (effect instanceof Effect.Schedule timer) {
                rows.add(timer(saga, timer, now));
                if (timer.kind() == TimerKind.RUN_LOCAL) {
                    localStepWritten.set(true);
                } else if (!timer.due().isAfter(now)) {
                    dueTimerWritten.set(true);
                }
            }
        }
        // One flush: Hibernate inserts in persist order (inserts are not reordered), so the outbox seq (a database
        // default) follows effect order, and the step rows and the rotation's update go in the same round.
        return Panache.getSession().chain(session -> session.persistAll(rows.toArray()).chain(session::flush));
    }

    static OutboxEntity outbox(String topic, RotorMessage message, Instant now) {
        OutboxEntity row = new OutboxEntity();
        row.id = UUID.randomUUID();
        row.topic = topic;
        row.msgKey = message.subject();
        row.type = message.type();
        row.payload = MessageCodec.encodeToString(message);
        row.createdAt = now;
        trace(row);
        return row;
    }

    /** Keeps the current trace context (the request's or reply's) with the row, for the relay. */
    private static void trace(OutboxEntity row) {
        TraceContext trace = TraceContext.current();
        row.traceParent = trace.parent();
        row.traceState = trace.state();
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
        TraceContext trace = TraceContext.current(); // the timer fires within it
        row.traceParent = trace.parent();
        row.traceState = trace.state();
        return row;
    }
}
