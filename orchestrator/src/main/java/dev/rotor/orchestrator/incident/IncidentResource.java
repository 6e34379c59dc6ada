package dev.rotor.orchestrator.incident;

import dev.rotor.orchestrator.audit.ClientAddress;
import dev.rotor.orchestrator.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Inbound incident webhooks. PagerDuty, GitHub and other senders cannot present Rotor's bearer tokens, so these
 * endpoints carry no role: each delivery is authenticated by its own HMAC-SHA256 signature over the raw body, with a
 * secret from the environment ({@link IncidentConfig}), before anything else is read. A bad or missing signature, or
 * an endpoint whose secret is unset, gets 401 and nothing happens. 202 lists the rotations started; 200 when the
 * delivery starts nothing (another event type, no rule matches, or a redelivery: then the first delivery's
 * rotations); 400 problem+json for a body that is not the expected JSON.
 */
@Path("/api/incidents")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class IncidentResource {
    @Inject
    IncidentConfig config;
    @Inject
    Incidents incidents;

    /** PagerDuty V3 webhook; {@code incident.triggered} starts rotations. */
    @POST
    @Path("pagerduty")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> pagerDuty(byte[] body, @HeaderParam("X-PagerDuty-Signature") String signature,
            @Context HttpServerRequest http) {
        verify(config.pagerduty().secret(), s -> WebhookSignatures.pagerDuty(s, body, signature),
                "X-PagerDuty-Signature");
        return act(() -> IncidentPayloads.pagerDuty(body), http);
    }

    /** GitHub webhook; {@code secret_scanning_alert} with action {@code created} starts rotations. */
    @POST
    @Path("github")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> gitHub(byte[] body, @HeaderParam("X-Hub-Signature-256") String signature,
            @HeaderParam("X-GitHub-Event") String event, @Context HttpServerRequest http) {
        verify(config.github().secret(), s -> WebhookSignatures.gitHub(s, body, signature), "X-Hub-Signature-256");
        return act(() -> IncidentPayloads.gitHub(event, body), http);
    }

    /**
     * The generic webhook: {@code X-Rotor-Timestamp} (Unix seconds) and {@code X-Rotor-Signature: v1=<hex>}, the
     * HMAC-SHA256 of {@code <timestamp>.<body>}; a timestamp further than {@code max-age} from now is refused.
     */
    @POST
    @Path("webhook")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> generic(byte[] body, @HeaderParam("X-Rotor-Timestamp") String timestamp,
            @HeaderParam("X-Rotor-Signature") String signature, @Context HttpServerRequest http) {
        verify(config.webhook().secret(), s -> timestamp != null
                && WebhookSignatures.generic(s, timestamp, body, signature), "X-Rotor-Signature");
        if (!fresh(timestamp, config.webhook().maxAge())) {
            throw unauthorized("X-Rotor-Timestamp is missing or further than " + config.webhook().maxAge()
                    + " from now");
        }
        return act(() -> IncidentPayloads.generic(body), http);
    }

    private Uni<Response> act(Supplier<IncidentPayloads.Parsed> parse, HttpServerRequest http) {
        IncidentPayloads.Parsed parsed = parse.get();
        if (parsed.incident() == null) {
            return Uni.createFrom().item(Response.ok(new Ignored(parsed.ignored())).build());
        }
        return incidents.handle(parsed.incident(), ClientAddress.of(http)).map(outcome ->
                Response.status(outcome.duplicate() || outcome.started().isEmpty() ? 200 : 202).entity(outcome)
                        .build());
    }

    /** The answer to a valid delivery that starts nothing by its kind. */
    public record Ignored(String ignored) {
    }

    private static void verify(Optional<String> secret, java.util.function.Predicate<String> check, String header) {
        if (secret.isEmpty() || secret.get().isEmpty()) {
            throw unauthorized("this webhook has no signing secret configured; every delivery is refused");
        }
        if (!check.test(secret.get())) {
            throw unauthorized("the " + header + " signature does not match the body");
        }
    }

    private static boolean fresh(String timestamp, Duration maxAge) {
        try {
            Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp.trim()));
            return Duration.between(at, Instant.now()).abs().compareTo(maxAge) <= 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "bad-signature", "Bad signature", detail);
    }
}
