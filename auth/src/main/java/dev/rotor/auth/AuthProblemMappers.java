package dev.rotor.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * 401 and 403 as problem+json. Authentication runs lazily ({@code quarkus.http.auth.proactive=false}) so that these
 * mappers, not the HTTP layer, answer: 401 carries {@code WWW-Authenticate: Bearer} (RFC 6750) and says why the token
 * was refused; 403 names the role the endpoint needs. Neither echoes the token. A refused mutating call is also handed
 * to the service's {@link RefusedCallRecorder} (the orchestrator's audit log), so this library stays free of any
 * service's code.
 */
public class AuthProblemMappers {
    private static final Logger LOG = Logger.getLogger(AuthProblemMappers.class);
    static final String REALM = "Bearer realm=\"rotor\"";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Inject
    SecurityIdentity identity;
    @Inject
    CurrentIdentityAssociation identities;
    @Inject
    Instance<RefusedCallRecorder> recorders;
    @Inject
    RoutingContext routing;

    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return AuthProblem.of(401, "unauthenticated", "Authentication required",
                "this endpoint needs a bearer token (Authorization: Bearer <JWT>)", path(uri))
                .response().header(HttpHeaders.WWW_AUTHENTICATE, REALM).build();
    }

    @ServerExceptionMapper
    public Response badToken(AuthenticationFailedException e, UriInfo uri) {
        String why = whyRefused(e);
        LOG.debugf("401 %s: %s", path(uri), why);
        return AuthProblem.of(401, "invalid-token", "Invalid bearer token", why, path(uri)).response()
                .header(HttpHeaders.WWW_AUTHENTICATE, REALM + ", error=\"invalid_token\", error_description=\""
                        + why + "\"")
                .build();
    }

    /**
     * A path no endpoint serves. Under {@code /api} it still needs a valid token first, so an anonymous caller learns
     * nothing about which paths exist: 401 without one, 404 with one.
     */
    @ServerExceptionMapper
    public Uni<Response> notFound(NotFoundException e, UriInfo uri) {
        Response notFound = AuthProblem.of(404, "not-found", "Not found", "no endpoint at this path", path(uri))
                .response().build();
        if (uri == null || !(uri.getPath().equals("/api") || uri.getPath().startsWith("/api/"))) {
            return Uni.createFrom().item(notFound);
        }
        return identities.getDeferredIdentity()
                .map(caller -> caller.isAnonymous() ? unauthenticated(new UnauthorizedException(), uri) : notFound)
                .onFailure().recoverWithItem(f -> badToken(new AuthenticationFailedException(f), uri));
    }

    @ServerExceptionMapper
    public Uni<Response> forbidden(ForbiddenException e, UriInfo uri, SimpleResourceInfo resource) {
        return refuse(requiredRole(resource), uri);
    }

    @ServerExceptionMapper
    public Uni<Response> roleRequired(RoleRequiredException e, UriInfo uri) {
        return refuse(e.role(), uri);
    }

    /** 403 naming the role; a mutating call is first handed to the service's {@link RefusedCallRecorder}, if any. */
    private Uni<Response> refuse(String role, UriInfo uri) {
        boolean anonymous = identity == null || identity.isAnonymous();
        String who = anonymous ? "anonymous" : identity.getPrincipal().getName();
        LOG.infof("403 %s for '%s': needs role '%s'", path(uri), who, role);
        Response refused = AuthProblem.of(403, "role-required", "Role required",
                "this request needs the role '" + role + "'", path(uri)).response().build();
        HttpServerRequest request = routing == null ? null : routing.request();
        String method = request == null ? null : request.method().name();
        if (anonymous || recorders.isUnsatisfied() || method == null || !MUTATING.contains(method)) {
            return Uni.createFrom().item(refused);
        }
        RefusedCall call = new RefusedCall(Instant.now(), Caller.subject(identity),
                identity.getRoles().stream().sorted().toList(), method, path(uri), role, peer(request));
        return Uni.createFrom().deferred(() -> recorders.get().record(call))
                .onFailure().recoverWithItem(f -> {
                    LOG.errorf("403 %s for '%s' could not be recorded: %s", path(uri), who,
                            f.getClass().getSimpleName());
                    return null;
                })
                .replaceWith(refused);
    }

    private static String peer(HttpServerRequest request) {
        if (request.remoteAddress() == null) {
            return null;
        }
        return request.remoteAddress().hostAddress() != null ? request.remoteAddress().hostAddress()
                : request.remoteAddress().host();
    }

    /** Why the token was refused, from the verifier's error codes; never any part of the token. */
    static String whyRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidJwtException jwt) {
                if (jwt.hasExpired()) {
                    return "the token has expired";
                }
                if (jwt.hasErrorCode(ErrorCodes.ISSUER_INVALID) || jwt.hasErrorCode(ErrorCodes.ISSUER_MISSING)) {
                    return "the token was issued by an issuer this service does not trust";
                }
                if (jwt.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || jwt.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
                    return "the token is not meant for this audience";
                }
                if (jwt.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || jwt.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
                    return "the token's signature does not verify against the trusted keys";
                }
            }
        }
        return "the token could not be verified (malformed, unsigned, signed by an unknown key, expired, or from "
                + "another issuer or audience)";
    }

    static String requiredRole(SimpleResourceInfo resource) {
        if (resource == null) {
            return "unknown";
        }
        Class<?> type = resource.getResourceClass();
        RolesAllowed rule = Arrays.stream(type.getMethods())
                .filter(m -> m.getName().equals(resource.getMethodName())
                        && Arrays.equals(m.getParameterTypes(), resource.parameterTypes()))
                .map(m -> m.getAnnotation(RolesAllowed.class)).filter(r -> r != null).findFirst()
                .orElse(type.getAnnotation(RolesAllowed.class));
        return rule == null ? "unknown" : String.join("' or '", rule.value());
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
