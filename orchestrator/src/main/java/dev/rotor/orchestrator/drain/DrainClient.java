package dev.rotor.orchestrator.drain;

import dev.rotor.contracts.redact.SafeUrl;
import dev.rotor.orchestrator.config.OrchestratorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/**
 * The {@code http} drain: one blocking call to an app's maintenance endpoint. 2xx is success; 5xx, timeouts and
 * connection errors are retryable; any other status is a refusal a retry cannot fix. Messages, which end up in logs,
 * step details and notifications, name the endpoint only through {@link SafeUrl}: its user info and query values may
 * be credentials.
 */
@ApplicationScoped
public class DrainClient {
    @Inject
    OrchestratorConfig config;

    private volatile HttpClient http;

    /** The outcome of one call. */
    public record Outcome(boolean ok, boolean retryable, String message) {
    }

    public Outcome call(String url, boolean enter, UUID rotationId, String secretId) {
        OrchestratorConfig.Drain d = config.drain();
        String method = enter ? d.enterMethod() : d.leaveMethod();
        String body = (enter ? d.enterBody() : d.leaveBody())
                .replace("{{rotationId}}", rotationId.toString()).replace("{{secretId}}", secretId);
        String what = (enter ? "entering" : "leaving") + " maintenance (" + method + " " + SafeUrl.redact(url)
                + ")";
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(d.timeout())
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        } catch (IllegalArgumentException e) {
            return new Outcome(false, false, what + ": invalid drain url or method");
        }
        try {
            int status = client().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return new Outcome(true, false, what + ": " + status);
            }
            return new Outcome(false, status >= 500, what + " answered " + status);
        } catch (IOException e) {
            return new Outcome(false, true, what + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, true, what + " interrupted");
        }
    }

    private HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(config.drain().timeout())
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }
}
