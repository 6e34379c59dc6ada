package dev.rotor.orchestrator.rest;

import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.CronSchedule;
import dev.rotor.orchestrator.persistence.RotationEntity;
import dev.rotor.orchestrator.persistence.TimerEntity;
import dev.rotor.orchestrator.saga.RotationState;
import dev.rotor.orchestrator.saga.TimerKind;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/** The catalog with each secret's rotation status: versions, last rotation, next schedule, pending retirement. */
@Path("/api/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {

    @Inject
    CatalogHolder catalog;

    /** One catalog entry; {@code previousVersion}/{@code retireAt} are set while a retirement waits for its grace. */
    public record SecretView(String id, String kind, String strategy, Integer currentVersion, Instant lastRotatedAt,
            Instant nextScheduledAt, Integer previousVersion, Instant retireAt) {
    }

    @GET
    public Uni<List<SecretView>> list() {
        return Panache.withSession(() -> Multi.createFrom().iterable(catalog.secrets())
                .onItem().transformToUniAndConcatenate(this::view)
                .collect().asList());
    }

    private Uni<SecretView> view(SecretEntry entry) {
        Instant now = Instant.now();
        Instant next = entry.schedule() == null ? null
                : CronSchedule.parse(entry.schedule().cron()).next(now).orElse(null);
        return RotationEntity.<RotationEntity>find("secretId = ?1 and state = ?2 order by completedAt desc",
                        entry.id(), RotationState.COMPLETED.name()).firstResult()
                .chain(last -> TimerEntity.<TimerEntity>find("secretId = ?1 and kind = ?2 and firedAt is null"
                                + " order by dueAt", entry.id(), TimerKind.RETIRE.name()).firstResult()
                        .map(retire -> new SecretView(entry.id(),
                                entry.kind() == null ? null : entry.kind().name().toLowerCase().replace('_', '-'),
                                entry.strategy() == null ? null : entry.strategy().catalogName(),
                                last == null ? null : last.toVersion,
                                last == null ? null : last.completedAt,
                                next,
                                retire == null ? null : retire.version,
                                retire == null ? null : retire.dueAt)));
    }
}
