package dev.rotor.auth;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Request bodies are JSON or nothing: a body of any other media type gets 415, before routing and before it is read.
 * Closes the "simple request" hole: a browser sends a cross-site {@code text/plain} or form POST with no CORS
 * preflight, so an API that parses any body as JSON could be driven from a web page. It guards {@code /api} only: a
 * service's own HTML forms (the orchestrator's dashboard) post form bodies and carry their own CSRF check.
 */
public class JsonBodyFilter {
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    @ServerRequestFilter(preMatching = true)
    public Response requireJson(ContainerRequestContext request) {
        if (!WITH_BODY.contains(request.getMethod()) || !isApi(request.getUriInfo().getPath())) {
            return null;
        }
        if (!hasBody(request)) {
            return null; // nothing to parse: its Content-Type (some clients send a form type by default) is moot
        }
        MediaType type = request.getMediaType();
        if (type == null) {
            return refuse(request, "a request body needs Content-Type: application/json");
        }
        boolean json = "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype()) || type.getSubtype().toLowerCase().endsWith("+json"));
        return json ? null
                : refuse(request, "Content-Type " + type.getType() + "/" + type.getSubtype()
                        + " is not accepted; send application/json");
    }

    private static boolean isApi(String path) {
        return path != null && (path.equals("/api") || path.startsWith("/api/"));
    }

    private static boolean hasBody(ContainerRequestContext request) {
        return request.getLength() > 0 || request.getHeaderString("Transfer-Encoding") != null;
    }

    private static Response refuse(ContainerRequestContext request, String detail) {
        return AuthProblem.of(415, "unsupported-media-type", "Unsupported media type", detail,
                request.getUriInfo().getPath()).response().build();
    }
}
