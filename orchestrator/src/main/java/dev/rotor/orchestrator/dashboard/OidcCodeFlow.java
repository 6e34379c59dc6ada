package dev.rotor.orchestrator.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The dashboard's sign-in through an OpenID Connect provider: the authorization code flow with PKCE (S256) and a
 * state, for a confidential client (a client secret, sent with HTTP Basic) or a public one (none). The provider's
 * access token becomes the dashboard session, so it must be a JWT the API accepts: the provider is the issuer whose
 * JWKS, issuer and audience Rotor is configured with ({@code mp.jwt.verify.*}), and its groups carry Rotor's roles.
 * Off unless {@code rotor.dashboard.oidc.authorization-url} is set.
 */
@ApplicationScoped
public class OidcCodeFlow {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @ConfigProperty(name = "rotor.dashboard.oidc.authorization-url")
    Optional<URI> authorizationUrl;
    @ConfigProperty(name = "rotor.dashboard.oidc.token-url")
    Optional<URI> tokenUrl;
    @ConfigProperty(name = "rotor.dashboard.oidc.client-id")
    Optional<String> clientId;
    @ConfigProperty(name = "rotor.dashboard.oidc.client-secret")
    Optional<String> clientSecret;
    @ConfigProperty(name = "rotor.dashboard.oidc.scope", defaultValue = "openid")
    String scope;
    @ConfigProperty(name = "rotor.dashboard.oidc.redirect-url")
    Optional<URI> redirectUrl;
    @ConfigProperty(name = "rotor.dashboard.oidc.name", defaultValue = "single sign-on")
    String name;
    @ConfigProperty(name = "rotor.dashboard.oidc.timeout", defaultValue = "10s")
    Duration timeout;

    @Inject
    ObjectMapper json;

    private HttpClient http;

    /** A sign-in that has left for the provider: what comes back must match it. */
    public record Pending(String state, String verifier, String next) {
        /** The cookie's value: three URL-safe base64 parts, none holding a '.'. */
        String encode() {
            return state + "." + verifier + "." + B64URL.encodeToString(next.getBytes(StandardCharsets.UTF_8));
        }

        static Optional<Pending> decode(String value) {
            String[] parts = value == null ? new String[0] : value.split("\\.", -1);
            if (parts.length != 3) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Pending(parts[0], parts[1],
                        new String(Base64.getUrlDecoder().decode(parts[2]), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** Why a sign-in through the provider did not give a token; the message is shown on the sign-in page. */
    public static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    public boolean enabled() {
        return authorizationUrl.isPresent();
    }

    public String name() {
        return name;
    }

    /** Checked at start-up: half a configuration is refused, naming what is missing. */
    void validate(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent started) {
        if (enabled() && (tokenUrl.isEmpty() || clientId.isEmpty())) {
            throw new IllegalStateException("rotor.dashboard.oidc.authorization-url is set, so "
                    + (tokenUrl.isEmpty() ? "rotor.dashboard.oidc.token-url" : "rotor.dashboard.oidc.client-id")
                    + " is required too");
        }
    }

    public Pending start(String next) {
        byte[] state = new byte[24];
        byte[] verifier = new byte[32];
        RANDOM.nextBytes(state);
        RANDOM.nextBytes(verifier);
        return new Pending(B64URL.encodeToString(state), B64URL.encodeToString(verifier), next);
    }

    /** Where the browser goes to sign in: the provider's authorization endpoint with the request. */
    public URI authorization(Pending pending, URI base) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", clientId.orElseThrow());
        query.put("redirect_uri", redirect(base).toString());
        query.put("scope", scope);
        query.put("state", pending.state());
        query.put("code_challenge", challenge(pending.verifier()));
        query.put("code_challenge_method", "S256");
        String url = authorizationUrl.orElseThrow().toString();
        return URI.create(url + (url.contains("?") ? "&" : "?") + form(query));
    }

    /** The code, exchanged at the token endpoint with the verifier: the access token, or why not. */
    public String exchange(String code, Pending pending, URI base) throws Refused {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirect(base).toString());
        body.put("code_verifier", pending.verifier());
        HttpRequest.Builder request = HttpRequest.newBuilder(tokenUrl.orElseThrow()).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (clientSecret.isPresent()) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((enc(clientId.get()) + ":"
                    + enc(clientSecret.get())).getBytes(StandardCharsets.UTF_8)));
        } else {
            body.put("client_id", clientId.orElseThrow());
        }
        HttpResponse<String> response;
        try {
            response = client().send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Refused(502, "The identity provider's token endpoint did not answer ("
                    + e.getClass().getSimpleName() + ").");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused(503, "Sign-in interrupted: the server is stopping.");
        }
        if (response.statusCode() / 100 != 2) {
            // Never the body: a provider's error page could echo the code or the client's credentials.
            throw new Refused(502, "The identity provider's token endpoint answered " + response.statusCode() + ".");
        }
        try {
            JsonNode token = json.readTree(response.body()).get("access_token");
            if (token == null || !token.isTextual() || token.asText().isBlank()) {
                throw new Refused(502, "The identity provider's answer holds no access_token.");
            }
            return token.asText();
        } catch (IOException e) {
            throw new Refused(502, "The identity provider's answer is not JSON.");
        }
    }

    /** The callback's URL: configured (behind a proxy), else this server's {@code /login/callback}. */
    private URI redirect(URI base) {
        return redirectUrl.orElseGet(() -> base.resolve("login/callback"));
    }

    static String challenge(String verifier) {
        try {
            return B64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether two strings are equal, in time that does not depend on where they differ. */
    static boolean same(String a, String b) {
        return a != null && b != null && MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8),
                b.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
