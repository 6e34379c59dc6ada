package dev.rotor.orchestrator.dashboard;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.Date;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Signs in to the dashboard with the same bearer JWTs the API takes ({@code deploy/rotor token}, or the link
 * {@code deploy/rotor up} prints): the token is verified like any API call's, then kept in the HttpOnly,
 * SameSite=Strict cookie {@link DashboardSession#COOKIE} until it expires. The token is never logged or shown.
 */
@Path("/")
@PermitAll
public class LoginResource {
    private static final Logger LOG = Logger.getLogger(LoginResource.class);

    @Inject
    JWTParser parser;
    @Location("dashboard/login.html")
    Template login;

    /** The sign-in form; with {@code ?token=} (the printed link) signs in at once and goes to {@code next}. */
    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("token") String token, @QueryParam("next") String next,
            @QueryParam("expired") boolean expired, UriInfo uri) {
        if (token != null && !token.isBlank()) {
            return signIn(token, next, uri);
        }
        return Response.ok(page(expired ? "Your session has expired or its token is no longer valid. Sign in again."
                : null, next)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response submit(@FormParam("token") String token, @FormParam("next") String next, UriInfo uri) {
        if (token == null || token.isBlank()) {
            return Response.status(400).entity(page("Paste a token.", next)).build();
        }
        return signIn(token, next, uri);
    }

    @POST
    @Path("logout")
    @Produces(MediaType.TEXT_HTML)
    public Response logout(UriInfo uri) {
        return Response.seeOther(URI.create("/login")).cookie(cookie("", 0, uri)).build();
    }

    private Response signIn(String token, String next, UriInfo uri) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token.trim());
        } catch (ParseException e) {
            LOG.debugf("dashboard sign-in refused: %s", e.getClass().getSimpleName());
            return Response.status(401).entity(page("This token is not valid here: it is expired, malformed, or "
                    + "from another issuer or audience.", next)).build();
        }
        long seconds = jwt.getExpirationTime() - System.currentTimeMillis() / 1000;
        return Response.seeOther(URI.create(safeNext(next))).cookie(cookie(token.trim(), (int) Math.max(seconds, 1),
                uri)).build();
    }

    private TemplateInstance page(String error, String next) {
        return login.data("error", error).data("next", safeNext(next));
    }

    /** Only a path on this server: no scheme, no {@code //host}, so the link cannot redirect elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }

    private static NewCookie cookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(DashboardSession.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equals(uri.getBaseUri().getScheme()))
                .maxAge(maxAge).expiry(new Date(System.currentTimeMillis() + maxAge * 1000L)).build();
    }
}
