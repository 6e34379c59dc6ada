package dev.rotor.sync.api;

import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.SecretVersion;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Read-only view of the local store's versions and labels, for tests and the launcher. Never material. */
@Path("/api/store")
public class StoreVersionsResource {

    /** One version as shown over HTTP. */
    public record VersionView(int version, String label, Instant createdAt, Instant promotedAt, Instant retiredAt) {
        static VersionView of(SecretVersion v) {
            return new VersionView(v.version(), v.label().wireName(), v.createdAt(), v.promotedAt(), v.retiredAt());
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
    public Response versions(@PathParam("path") String path) {
        List<SecretVersion> versions = stores.local().versions(path);
        if (versions.isEmpty()) {
            return Response.status(404).type("application/problem+json")
                    .entity(Map.of("type", "about:blank", "title", "Not Found", "status", 404,
                            "detail", "the local store holds no version of '" + path + "'"))
                    .build();
        }
        return Response.ok(versions.stream().map(VersionView::of).toList()).build();
    }
}
