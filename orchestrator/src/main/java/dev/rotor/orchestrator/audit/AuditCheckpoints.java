package dev.rotor.orchestrator.audit;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import dev.rotor.orchestrator.persistence.OutboxEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes the chain's head as an {@code audit-checkpoint} on {@code rotor.rotations}, through the outbox, every
 * {@code rotor.audit.checkpoint-interval} (default 1h; the first one interval after start-up), so an archive outside
 * Rotor holds an anchor that a rewritten chain cannot match. A head already published by this process is not
 * published again. Reads the committed head without locking it: appends are not held up.
 */
@ApplicationScoped
public class AuditCheckpoints {
    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);

    @Inject
    OutboxRelay relay;

    private final AtomicLong published = new AtomicLong();

    @Scheduled(every = "${rotor.audit.checkpoint-interval:1h}", delayed = "${rotor.audit.checkpoint-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return publish().onFailure().recoverWithItem(f -> {
            LOG.warnf("audit checkpoint not published, next run will retry: %s", f.getClass().getSimpleName());
            return null;
        }).replaceWithVoid();
    }

    /** Publishes the current head now (an outbox row, then the relay); null when the chain is empty or unchanged. */
    public Uni<AuditCheckpoint> publish() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .<Object[]>createNativeQuery("select seq, hash::text from audit_head where id = 1")
                .getSingleResult()
                .chain(head -> {
                    long seq = ((Number) head[0]).longValue();
                    if (seq == 0 || seq == published.get()) {
                        return Uni.createFrom().<AuditCheckpoint>nullItem();
                    }
                    AuditCheckpoint checkpoint = new AuditCheckpoint(seq, (String) head[1], Instant.now());
                    return outbox(checkpoint).persist().replaceWith(checkpoint);
                })))
                .invoke(checkpoint -> {
                    if (checkpoint != null) {
                        published.set(checkpoint.seq());
                        relay.trigger();
                        LOG.infof("audit checkpoint: entry %d, head %s", checkpoint.seq(), checkpoint.headHash());
                    }
                });
    }

    private static OutboxEntity outbox(AuditCheckpoint checkpoint) {
        OutboxEntity row = new OutboxEntity();
        row.id = UUID.randomUUID();
        row.topic = Topics.ROTATIONS;
        row.msgKey = checkpoint.subject();
        row.type = checkpoint.type();
        row.payload = MessageCodec.encodeToString(checkpoint);
        row.createdAt = checkpoint.occurredAt();
        return row;
    }
}
