package dev.rotor.orchestrator.rest;

import dev.rotor.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.rotor.contracts.catalog.SecretEntry;
import dev.rotor.orchestrator.catalog.CatalogHolder;
import dev.rotor.orchestrator.catalog.CronSchedule;
import dev.rotor.orchestrator.retention.Retention;
import dev.rotor.orchestrator.retention.VersionHistory;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * The catalog with each secret's rotation status and retention: current version, the previous one and until when it
 * stays usable, retired versions, and each version's history. Version numbers and times only, never values.
 */
@Path("/api/secrets")
@Produces(MediaType.APPLICATION_JSON)
public class SecretResource {

    @Inject
    CatalogHolder catalog;
    @Inject
    Retention retention;

    /**
     * One catalog entry. {@code previousVersion} stays readable until {@code retireAt} (null when no retirement
     * waits); {@code retirementError} says why a retirement failed for good.
     */
    public record SecretView(String id, String kind, String strategy, Integer currentVersion, Instant lastRotatedAt,
            Instant nextScheduledAt, Integer previousVersion, Instant retireAt, List<Integer> retiredVersions,
            String retirementError) {
    }

    /** One version: label pending, current, previous or retired, and when it was created, promoted and retired. */
    public record VersionView(int version, String label, Instant createdAt, Instant promotedAt, Instant retiredAt) {
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<SecretView>> list() {
        return Panache.withSession(() -> Multi.createFrom().iterable(catalog.secrets())
                .onItem().transformToUniAndConcatenate(this::view)
                .collect().asList());
    }

    /** 404 for a secret that is not in the catalog. */
    @GET
    @Path("{id}/versions")
    @RolesAllowed(Roles.VIEWER)
    public Uni<List<VersionView>> versions(@PathParam("id") String id) {
        if (catalog.find(id).isEmpty()) {
            throw new ProblemException(404, "unknown-secret", "Unknown secret", "no secret '" + id + "' in the catalog");
        }
        return Panache.withSession(() -> retention.of(id)).map(status -> status.versions().stream()
                .map(SecretResource::view).toList());
    }

    private static VersionView view(VersionHistory.Version v) {
        return new VersionView(v.version(), v.label(), v.createdAt(), v.promotedAt(), v.retiredAt());
    }

    private Uni<SecretView> view(SecretEntry entry) {
        Instant now = Instant.now();
        Instant next = entry.schedule() == null ? null
                : CronSchedule.parse(entry.schedule().cron()).next(now).orElse(null);
        return retention.of(entry.id()).map(r -> new SecretView(entry.id(),
                entry.kind() == null ? null : entry.kind().name().toLowerCase().replace('_', '-'),
                entry.strategy() == null ? null : entry.strategy().catalogName(),
                r.currentVersion(), r.lastRotatedAt(), next, r.previousVersion(), r.retireAt(), r.retiredVersions(),
                r.retirementError()));
    }
}
