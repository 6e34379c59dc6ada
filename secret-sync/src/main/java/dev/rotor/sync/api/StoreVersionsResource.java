package dev.rotor.sync.api;

import dev.rotor.auth.Roles;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.StoreException;
import dev.rotor.sync.store.SecretVersion;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Read-only view of a store's versions and labels ({@code ?store=local|vault}, default local), for the orchestrator,
 * tests and the launcher: numbers, labels, created, promoted, retired. Never material. For services only (role
 * {@code service}): people read versions through the orchestrator's API.
 */
@Path("/api/store")
@RolesAllowed(Roles.SERVICE)
public class StoreVersionsResource {

    /** One version as shown over HTTP. */
    public record VersionView(int version, String label, Instant createdAt, Instant promotedAt, Instant retiredAt,
            boolean destroyed, Instant archivedUntil) {
        static VersionView of(SecretVersion v) {
            return new VersionView(v.version(), v.label().wireName(), v.createdAt(), v.promotedAt(), v.retiredAt(),
                    v.destroyed(), v.archivedUntil());
        }
    }

    private final SecretStores stores;

    public StoreVersionsResource(SecretStores stores) {
        this.stores = stores;
    }

    /** Blocking (keystore I/O), so Quarkus REST runs it on a worker thread. */
    @GET
    @Path("{path: .+}/versions")
    @Produces(MediaType.APPLICATION_JSON)
    public Response versions(@PathParam("path") String path, @QueryParam("store") @DefaultValue("local") String type) {
        List<SecretVersion> versions;
        try {
            versions = stores.forRef(new StoreRef(type, path, null)).versions(path);
        } catch (StoreException e) {
            int status = e.retryable() ? 503 : type.equals("local") || type.equals("vault") ? 502 : 400;
            return problem(status, e.getMessage());
        }
        if (versions.isEmpty()) {
            return problem(404, "the " + type + " store holds no version of '" + path + "'");
        }
        return Response.ok(versions.stream().map(VersionView::of).toList()).build();
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("type", "about:blank", "title", Response.Status.fromStatusCode(status) == null
                        ? "Error" : Response.Status.fromStatusCode(status).getReasonPhrase(), "status", status,
                        "detail", detail))
                .build();
    }
}
