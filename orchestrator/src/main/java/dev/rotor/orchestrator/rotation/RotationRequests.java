package dev.rotor.orchestrator.rotation;

import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.outbox.OutboxRelay;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Starts rotations asked for on Kafka, once per request id. */
@ApplicationScoped
public class RotationRequests {
    private static final Logger LOG = Logger.getLogger(RotationRequests.class);

    @Inject
    RotationService rotations;
    @Inject
    OutboxRelay relay;

    /**
     * Records the request id and accepts the rotation in one transaction; a request id seen before does nothing.
     *
     * @throws RotationRefused (as a failed Uni) when the rotation cannot start; nothing is recorded then
     */
    public Uni<Void> submit(RotationRequestSubmitted request) {
        return Transactions.inTransaction(() -> claim(request.requestId()).chain(fresh -> {
            if (!fresh) {
                LOG.infof("rotation request %s already handled", request.requestId());
                return Uni.createFrom().voidItem();
            }
            return rotations.acceptInTransaction(new RotationAsk(request.secretId(), request.trigger(),
                            request.reason(), false, Actor.bridge(request, requester(request))))
                    .chain(row -> Panache.getSession().chain(s -> s.createNativeQuery(
                            "update processed_request set rotation_id = ?1, outcome = 'accepted' where request_id = ?2")
                            .setParameter(1, row.id).setParameter(2, request.requestId()).executeUpdate()))
                    .invoke(() -> LOG.infof("rotation of %s requested by %s via %s", request.secretId(),
                            request.requestedBy(), request.source()))
                    .replaceWithVoid();
        })).onFailure(f -> Transactions.violates(f, RotationService.ONE_ACTIVE_INDEX))
                .transform(f -> new RotationRefused(RotationRefused.Reason.ALREADY_ACTIVE,
                        "a rotation of '" + request.secretId() + "' is already active"))
                .invoke(relay::trigger);
    }

    /** The bridge vouches for its user ({@code slack:U…}); a request without one is recorded as its source. */
    static String requester(RotationRequestSubmitted request) {
        if (request.requestedBy() != null && !request.requestedBy().isBlank()) {
            return request.requestedBy();
        }
        return request.source() == null || request.source().isBlank() ? "unknown" : request.source();
    }

    private static Uni<Boolean> claim(UUID requestId) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into processed_request"
                        + " (request_id, outcome, received_at) values (?1, 'received', ?2) on conflict do nothing")
                .setParameter(1, requestId).setParameter(2, Instant.now()).executeUpdate())
                .map(rows -> rows == 1);
    }
}
