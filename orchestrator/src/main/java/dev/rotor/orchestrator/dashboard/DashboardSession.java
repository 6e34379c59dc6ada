package dev.rotor.orchestrator.dashboard;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;

/**
 * The dashboard's session: the same bearer JWT the API takes, kept in an HttpOnly, SameSite=Strict cookie that
 * {@link LoginResource} sets. For dashboard paths only, the cookie becomes the request's {@code Authorization}
 * header, so the token is verified by the same SmallRye JWT code and the same roles apply; {@code /api}, {@code /q}
 * and {@code /slack} never read the cookie (the API stays bearer-only, so a browser's ambient cookie cannot drive it).
 *
 * <p>CSRF: a POST to a dashboard path must carry an {@code Origin} (or, failing that, a {@code Referer}) of this very
 * server, else it is refused with 403 before any resource runs. Together with SameSite=Strict this stops a foreign
 * page from submitting the dashboard's forms with the user's session.
 */
@ApplicationScoped
public class DashboardSession {
    /** The session cookie's name. */
    public static final String COOKIE = "rotor_session";

    void register(@Observes Filters filters) {
        filters.register(this::filter, 100);
    }

    void filter(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String path = request.path();
        if (path == null || !isDashboard(path)) {
            rc.next();
            return;
        }
        if (request.method() == HttpMethod.POST && !sameOrigin(request)) {
            rc.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .end("refused: this form was not sent from this server's own pages (Origin check)");
            return;
        }
        Cookie session = request.getCookie(COOKIE);
        if (session != null && !session.getValue().isBlank()
                && request.getHeader(HttpHeaders.AUTHORIZATION) == null) {
            request.headers().set(HttpHeaders.AUTHORIZATION, "Bearer " + session.getValue());
        }
        rc.next();
    }

    /**
     * Everything but the API, the management endpoints and Slack's callbacks, which Slack signs and posts from its own
     * servers (no Origin, no cookie: {@code chat.SlackRoutes}).
     */
    static boolean isDashboard(String path) {
        return !(under(path, "/api") || under(path, "/q") || under(path, "/slack"));
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    /** The Origin header, or the Referer's origin when a browser sent none, equals this server's own. */
    static boolean sameOrigin(HttpServerRequest request) {
        HostAndPort authority = request.authority(); // Host in HTTP/1.1, :authority in HTTP/2
        if (authority == null) {
            return false;
        }
        String host = authority.host() + (authority.port() >= 0 ? ":" + authority.port() : "");
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            String referer = request.getHeader(HttpHeaders.REFERER);
            if (referer == null) {
                return false;
            }
            try {
                URI uri = URI.create(referer);
                origin = uri.getScheme() + "://" + uri.getRawAuthority();
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return origin.equalsIgnoreCase(request.scheme() + "://" + host);
    }
}
