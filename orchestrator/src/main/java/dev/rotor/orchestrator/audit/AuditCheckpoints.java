package dev.rotor.orchestrator.audit;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import dev.rotor.orchestrator.persistence.ShuttingDown;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Publishes the chain's head as an {@code audit-checkpoint} on {@code rotor.rotations}, through the outbox, every
 * {@code rotor.audit.checkpoint-interval} (default 1h; the first one interval after start-up), so an archive outside
 * Rotor holds an anchor that a rewritten chain cannot match. Reads the committed head without locking it: appends are
 * not held up.
 *
 * <p>Each head is published once, however many orchestrators run or restart: its outbox row's id (the CloudEvent id)
 * is derived from the head's seq and hash, and the row is inserted with {@code on conflict do nothing}, so an
 * instance that finds the head already written by another (or by itself before a restart) writes nothing. Were the
 * row pruned and the head still unchanged, it would be sent again under the same id, which consumers de-duplicate.
 * A head already published by this process is not even tried again.
 */
@ApplicationScoped
public class AuditCheckpoints {
    private static final Logger LOG = Logger.getLogger(AuditCheckpoints.class);

    @Inject
    OutboxRelay relay;

    private final AtomicLong published = new AtomicLong();

    @Scheduled(every = "${rotor.audit.checkpoint-interval:1h}", delayed = "${rotor.audit.checkpoint-interval:1h}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = ShuttingDown.class)
    Uni<Void> scheduled() {
        return publish().onFailure().recoverWithItem(f -> {
            LOG.warnf("audit checkpoint not published, next run will retry: %s", f.getClass().getSimpleName());
            return null;
        }).replaceWithVoid();
    }

    /**
     * Publishes the current head now (an outbox row, then the relay); null when the chain is empty or unchanged, or
     * when this head was written already (by another instance, or before a restart).
     */
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
                    return session.createNativeQuery("insert into outbox (id, topic, msg_key, type, payload,"
                            + " created_at) values (?1, ?2, ?3, ?4, ?5, ?6) on conflict (id) do nothing")
                            .setParameter(1, id(checkpoint))
                            .setParameter(2, Topics.ROTATIONS)
                            .setParameter(3, checkpoint.subject())
                            .setParameter(4, checkpoint.type())
                            .setParameter(5, MessageCodec.encodeToString(checkpoint))
                            .setParameter(6, checkpoint.occurredAt())
                            .executeUpdate()
                            .map(inserted -> inserted == 1 ? checkpoint : null);
                })))
                .invoke(checkpoint -> {
                    if (checkpoint != null) {
                        published.set(checkpoint.seq());
                        relay.trigger();
                        LOG.infof("audit checkpoint: entry %d, head %s", checkpoint.seq(), checkpoint.headHash());
                    }
                });
    }

    /** The CloudEvent id of a head's checkpoint: the same for every instance that publishes that head. */
    static UUID id(AuditCheckpoint checkpoint) {
        return UUID.nameUUIDFromBytes((checkpoint.type() + " " + checkpoint.seq() + " " + checkpoint.headHash())
                .getBytes(StandardCharsets.UTF_8));
    }
}
