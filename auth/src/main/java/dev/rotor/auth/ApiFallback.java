package dev.rotor.auth;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Every {@code /api} path needs a token, including the ones no resource serves: without one the answer is 401,
 * with one it is 404. So an anonymous caller cannot map the API, and a service with no endpoint yet (the notifier,
 * the worker) answers like the others. A real resource always wins over this one: its path is more specific.
 */
@Path("/api")
@Authenticated
public class ApiFallback {
    @GET
    @Path("{rest: .*}")
    public Response get(@Context UriInfo uri) {
        return notFound(uri);
    }

    @POST
    @Path("{rest: .*}")
    public Response post(@Context UriInfo uri) {
        return notFound(uri);
    }

    @PUT
    @Path("{rest: .*}")
    public Response put(@Context UriInfo uri) {
        return notFound(uri);
    }

    @DELETE
    @Path("{rest: .*}")
    public Response delete(@Context UriInfo uri) {
        return notFound(uri);
    }

    @PATCH
    @Path("{rest: .*}")
    public Response patch(@Context UriInfo uri) {
        return notFound(uri);
    }

    private static Response notFound(UriInfo uri) {
        return AuthProblem.of(404, "not-found", "Not found", "no endpoint at this path", uri.getPath()).response()
                .build();
    }
}
