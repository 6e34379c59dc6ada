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

    static final String OIDC_COOKIE = "rotor_oidc";

    @Inject
    JWTParser parser;
    @Inject
    OidcCodeFlow oidc;
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

    /** Starts a sign-in at the configured OpenID Connect provider (404 when none is). */
    @GET
    @Path("login/oidc")
    public Response oidcStart(@QueryParam("next") String next, UriInfo uri) {
        if (!oidc.enabled()) {
            return Response.status(404).type(MediaType.TEXT_HTML).entity(page("Sign-in through an identity provider"
                    + " is not configured here.", next)).build();
        }
        OidcCodeFlow.Pending pending = oidc.start(safeNext(next));
        return Response.seeOther(oidc.authorization(pending, uri.getBaseUri()))
                .cookie(oidcCookie(pending.encode(), 600, uri)).build();
    }

    /**
     * Where the provider sends the browser back: the state must be the one this browser left with (its cookie), then
     * the code is exchanged, with the PKCE verifier, for the access token, which signs in as a pasted token does.
     */
    @GET
    @Path("login/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response oidcCallback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @jakarta.ws.rs.CookieParam(OIDC_COOKIE) String cookie, UriInfo uri) {
        NewCookie clear = oidcCookie("", 0, uri);
        java.util.Optional<OidcCodeFlow.Pending> pending = OidcCodeFlow.Pending.decode(cookie);
        String next = pending.map(OidcCodeFlow.Pending::next).orElse("/");
        if (!oidc.enabled()) {
            return Response.status(404).entity(page("Sign-in through an identity provider is not configured here.",
                    next)).cookie(clear).build();
        }
        if (error != null) {
            return Response.status(401).entity(page("The identity provider did not sign you in ("
                    + (error.length() > 60 ? error.substring(0, 60) : error) + ").", next)).cookie(clear).build();
        }
        if (pending.isEmpty() || !OidcCodeFlow.same(pending.get().state(), state) || code == null || code.isBlank()) {
            LOG.infof("dashboard sign-in through the identity provider refused: %s", pending.isEmpty()
                    ? "no sign-in was started in this browser" : "the state does not match");
            return Response.status(400).entity(page("This sign-in was not started here, or it took longer than 10"
                    + " minutes. Start it again.", next)).cookie(clear).build();
        }
        String token;
        try {
            token = oidc.exchange(code, pending.get(), uri.getBaseUri());
        } catch (OidcCodeFlow.Refused e) {
            LOG.warnf("dashboard sign-in through the identity provider failed: %s", e.getMessage());
            return Response.status(e.status).entity(page(e.getMessage(), next)).cookie(clear).build();
        }
        Response signedIn = signIn(token, next, uri);
        return Response.fromResponse(signedIn).cookie(clear).build();
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
        return login.data("error", error).data("next", safeNext(next))
                .data("sso", oidc.enabled() ? oidc.name() : null)
                .data("ssoHref", "/login/oidc?next=" + java.net.URLEncoder.encode(safeNext(next),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Only a path on this server: no scheme, no {@code //host}, so the link cannot redirect elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")) {
            return "/";
        }
        return next;
    }

    /**
     * The sign-in in progress: Lax, not Strict, because it must come back with the provider's top-level redirect;
     * only for {@code /login}, and gone after 10 minutes or the callback.
     */
    private static NewCookie oidcCookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(OIDC_COOKIE).value(value).path("/login").httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).secure("https".equals(uri.getBaseUri().getScheme()))
                .maxAge(maxAge).expiry(new Date(System.currentTimeMillis() + maxAge * 1000L)).build();
    }

    private static NewCookie cookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(DashboardSession.COOKIE).value(value).path("/").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure("https".equals(uri.getBaseUri().getScheme()))
                .maxAge(maxAge).expiry(new Date(System.currentTimeMillis() + maxAge * 1000L)).build();
    }
}
