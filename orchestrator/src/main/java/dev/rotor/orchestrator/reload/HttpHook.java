package dev.rotor.orchestrator.reload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rotor.contracts.redact.SafeUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The {@code http} reloader: one POST of {@code {"rotationId","secretId","version","direction"}} to the app's reload
 * hook, which must answer 2xx. 5xx, timeouts and lost connections are retryable; any other status is a refusal. The
 * body never holds the value: the app reads it from its own target (its .env, Vault).
 */
public final class HttpHook {
    private final HttpClient http;

    public HttpHook(HttpClient http) {
        this.http = http;
    }

    public Outcome post(String url, ReloadTarget target, Duration timeout) {
        String what = "reload hook POST " + SafeUrl.redact(url);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body(target))).build();
        } catch (IllegalArgumentException e) {
            return Outcome.refused(what + ": invalid url");
        }
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Outcome.ok(what + " answered " + status);
            }
            return new Outcome(false, status >= 500, what + " answered " + status);
        } catch (HttpTimeoutException e) {
            return Outcome.retryable(what + " timed out after " + timeout.toSeconds() + "s");
        } catch (IOException e) {
            return Outcome.retryable(what + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.retryable(what + " interrupted");
        }
    }

    static String body(ReloadTarget t) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("rotationId", t.rotationId().toString())
                .put("secretId", t.secretId()).put("direction", t.direction().name());
        if (t.version() != null) {
            body.put("version", t.version());
        } else {
            body.putNull("version");
        }
        return body.toString();
    }
}
