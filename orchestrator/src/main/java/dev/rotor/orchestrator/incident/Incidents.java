package dev.rotor.orchestrator.incident;

import dev.rotor.contracts.messages.Trigger;
import dev.rotor.orchestrator.audit.Actor;
import dev.rotor.orchestrator.audit.AuditSource;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.rotation.AfterCommit;
import dev.rotor.orchestrator.rotation.RotationAsk;
import dev.rotor.orchestrator.rotation.RotationRefused;
import dev.rotor.orchestrator.rotation.RotationService;
import dev.rotor.orchestrator.rotation.Transactions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Turns an incident into EMERGENCY rotations of the entries the catalog's {@code incidents:} rules name, each with its
 * related entries (cascade). De-duplicates on (source, incident id): the row in {@code incident_delivery} is written
 * in the transaction that starts the rotations, so a redelivered webhook, even one racing the first, starts nothing.
 */
@ApplicationScoped
public class Incidents {
    private static final Logger LOG = Logger.getLogger(Incidents.class);

    @Inject
    CatalogHolder catalog;
    @Inject
    RotationService rotations;
    @Inject
    AfterCommit afterCommit;

    /** What a delivery did. {@code duplicate}: handled before, {@code started} then lists the first delivery's. */
    public record Outcome(String incident, boolean duplicate, List<Started> started, List<Skipped> skipped) {
    }

    /** A rotation started: a matched entry's, or a related entry's ({@code parentId} set). */
    public record Started(UUID id, String secretId, String state, UUID parentId) {
    }

    /** A matched entry whose rotation could not start, and why (e.g. an emergency of it already runs). */
    public record Skipped(String secretId, String reason) {
    }

    public Uni<Outcome> handle(Incident incident, String clientAddress) {
        List<String> entries = IncidentMatcher.entries(catalog.catalog().incidents(), incident);
        if (entries.isEmpty()) {
            LOG.infof("incident %s matches no incidents rule; nothing started", incident.reference());
            return Uni.createFrom().item(new Outcome(incident.reference(), false, List.of(), List.of()));
        }
        Actor actor = new Actor(incident.reference(), List.of(), AuditSource.INCIDENT, clientAddress);
        RotationAsk.Origin origin = new RotationAsk.Origin(null, incident.reference(), incident.occurredAt());
        return Transactions.inTransaction(() -> claim(incident).chain(fresh -> fresh
                        ? start(incident, entries, actor, origin)
                        : previous(incident)))
                .invoke(outcome -> {
                    afterCommit.run();
                    LOG.infof("incident %s: %s rotation(s) %s%s", incident.reference(), outcome.started().size(),
                            outcome.duplicate() ? "started by an earlier delivery" : "started",
                            outcome.skipped().isEmpty() ? "" : ", skipped " + outcome.skipped());
                });
    }

    private Uni<Outcome> start(Incident incident, List<String> entries, Actor actor, RotationAsk.Origin origin) {
        List<Started> started = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String secretId : entries) {
            RotationAsk ask = new RotationAsk(secretId, Trigger.EMERGENCY, incident.reason(), false, actor, origin);
            // An entry already started as another matched entry's related one is not started twice.
            chain = chain.chain(() -> started.stream().anyMatch(r -> r.secretId().equals(secretId))
                    ? Uni.createFrom().voidItem() : rotations.acceptInTransaction(ask)
                    .chain(row -> RotationEntity.<RotationEntity>list("parentId = ?1 order by requestedAt, secretId",
                                    row.id)
                            .invoke(children -> {
                                started.add(new Started(row.id, row.secretId, row.state, null));
                                children.forEach(c -> started.add(new Started(c.id, c.secretId, c.state, row.id)));
                            }))
                    .onFailure(RotationRefused.class).recoverWithItem(f -> {
                        skipped.add(new Skipped(secretId, f.getMessage()));
                        return null;
                    })
                    .replaceWithVoid());
        }
        return chain.chain(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "update incident_delivery set rotation_ids = ?1 where source = ?2 and delivery_id = ?3")
                        .setParameter(1, String.join(",", started.stream().map(r -> r.id().toString()).toList()))
                        .setParameter(2, incident.source()).setParameter(3, incident.id()).executeUpdate()))
                .replaceWith(() -> new Outcome(incident.reference(), false, List.copyOf(started),
                        List.copyOf(skipped)));
    }

    private static Uni<Outcome> previous(Incident incident) {
        return Panache.getSession().chain(s -> s.createNativeQuery("select rotation_ids from incident_delivery"
                        + " where source = ?1 and delivery_id = ?2", String.class)
                .setParameter(1, incident.source()).setParameter(2, incident.id()).getSingleResult())
                .chain(ids -> {
                    List<UUID> earlier = ids == null || ids.isBlank() ? List.of()
                            : Arrays.stream(ids.split(",")).map(UUID::fromString).toList();
                    return earlier.isEmpty() ? Uni.createFrom().item(List.<RotationEntity>of())
                            : RotationEntity.<RotationEntity>list("id in ?1 order by requestedAt, secretId", earlier);
                })
                .map(rows -> new Outcome(incident.reference(), true, rows.stream()
                        .map(r -> new Started(r.id, r.secretId, r.state, r.parentId)).toList(), List.of()));
    }

    private static Uni<Boolean> claim(Incident incident) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into incident_delivery (source,"
                        + " delivery_id, incident, rotation_ids, received_at) values (?1, ?2, ?3, '', ?4)"
                        + " on conflict do nothing")
                .setParameter(1, incident.source()).setParameter(2, incident.id())
                .setParameter(3, incident.reference()).setParameter(4, Instant.now()).executeUpdate())
                .map(rows -> rows == 1);
    }
}
