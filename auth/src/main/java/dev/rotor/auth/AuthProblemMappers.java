package dev.rotor.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * 401 and 403 as problem+json. Authentication runs lazily ({@code quarkus.http.auth.proactive=false}) so that these
 * mappers, not the HTTP layer, answer: 401 carries {@code WWW-Authenticate: Bearer} (RFC 6750) and says why the token
 * was refused; 403 names the role the endpoint needs. Neither echoes the token.
 */
public class AuthProblemMappers {
    private static final Logger LOG = Logger.getLogger(AuthProblemMappers.class);
    static final String REALM = "Bearer realm=\"rotor\"";

    @Inject
    SecurityIdentity identity;

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

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, SimpleResourceInfo resource) {
        return refuse(requiredRole(resource), uri);
    }

    @ServerExceptionMapper
    public Response roleRequired(RoleRequiredException e, UriInfo uri) {
        return refuse(e.role(), uri);
    }

    private Response refuse(String role, UriInfo uri) {
        String who = identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        LOG.infof("403 %s for '%s': needs role '%s'", path(uri), who, role);
        return AuthProblem.of(403, "role-required", "Role required",
                "this request needs the role '" + role + "'", path(uri)).response().build();
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
