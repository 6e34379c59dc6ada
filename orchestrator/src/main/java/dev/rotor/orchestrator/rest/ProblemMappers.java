package dev.rotor.orchestrator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.orchestrator.rotation.RotationRefused;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps every failure of the API to {@code application/problem+json} (RFC 9457). */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    ObjectMapper json;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(Problem.of(e.status(), e.slug(), e.title(), e.getMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response refused(RotationRefused e, UriInfo uri) {
        return respond(problem(e, path(uri)));
    }

    /** The problem a refused rotation request answers with (the API's and the dashboard's). */
    public static Problem problem(RotationRefused e, String path) {
        return switch (e.reason()) {
            case UNKNOWN_SECRET -> Problem.of(404, "unknown-secret", "Unknown secret", e.getMessage(), path);
            case ALREADY_ACTIVE -> Problem.of(409, "rotation-active", "Rotation already active", e.getMessage(),
                    path);
            case STRATEGY_NOT_IMPLEMENTED -> Problem.of(422, "strategy-not-implemented", "Strategy not implemented",
                    e.getMessage(), path);
            case DRY_RUN_NOT_SUPPORTED -> Problem.of(422, "dry-run-not-supported", "Dry run not supported",
                    e.getMessage(), path);
            case FROZEN -> Problem.of(409, "change-freeze", "Change freeze", e.getMessage(), path);
            case NOTHING_TO_OVERRIDE -> Problem.of(422, "nothing-to-override", "Nothing to override",
                    e.getMessage(), path);
        };
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(Problem.of(status, "http-" + status, title, e.getMessage(), path(uri)));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        // The cause stays in the log (class and message only); the response says nothing about internals.
        LOG.errorf("request %s failed: %s: %s", path(uri), e.getClass().getName(), e.getMessage());
        return respond(Problem.of(500, "internal-error", "Internal error", "the request could not be completed",
                path(uri)));
    }

    private Response respond(Problem problem) {
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"title\":\"Internal error\",\"status\":500}";
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
