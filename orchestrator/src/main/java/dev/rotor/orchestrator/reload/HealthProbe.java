package dev.rotor.orchestrator.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.catalog.HealthSpec;
import dev.rotor.contracts.redact.SafeUrl;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * A reloader's health check, polled until it passes or the deadline: a GET that answers 2xx and, with a
 * {@code version-field}, a JSON body whose field holds the expected key version (as a number or as text). An app
 * restarting refuses connections or reports the old version for a while, so neither fails at once; the message of a
 * failure says what was last seen, never the body itself, which might echo more than a version.
 */
public final class HealthProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Duration poll;

    public HealthProbe(HttpClient http, Duration poll) {
        this.http = http;
        this.poll = poll;
    }

    public Outcome await(HealthSpec health, Integer expectedVersion, Instant deadline) {
        String what = "health " + SafeUrl.redact(health.url());
        String last = "no answer";
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(health.url())).GET().timeout(Duration.ofSeconds(5)).build();
        } catch (IllegalArgumentException e) {
            return Outcome.refused(what + ": invalid url");
        }
        while (true) {
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 200 || status >= 300) {
                    last = "answered " + status;
                } else if (health.versionField() == null || expectedVersion == null) {
                    return Outcome.ok(what + " answered " + status);
                } else {
                    String reported = reported(response.body(), health.versionPointer());
                    if (String.valueOf(expectedVersion).equals(reported)) {
                        return Outcome.ok(what + " reports version " + reported);
                    }
                    last = reported == null ? "has no number at " + health.versionField()
                            : "reports version " + reported;
                }
            } catch (IOException e) {
                last = "failed: " + e.getClass().getSimpleName();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.retryable(what + " interrupted");
            }
            if (!Instant.now().plus(poll).isBefore(deadline)) {
                String expected = health.versionField() == null || expectedVersion == null ? "2xx"
                        : "version " + expectedVersion + " at " + health.versionField();
                return Outcome.retryable(what + " " + last + ", expected " + expected + " before the timeout");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.retryable(what + " interrupted");
            }
        }
    }

    /** The version at the pointer when it is a whole number (number or digits as text); otherwise null. */
    static String reported(String body, String pointer) {
        try {
            JsonNode node = JSON.readTree(body).at(pointer);
            if (node.isIntegralNumber()) {
                return node.asText();
            }
            if (node.isTextual() && node.asText().matches("\\d{1,10}")) {
                return node.asText();
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
