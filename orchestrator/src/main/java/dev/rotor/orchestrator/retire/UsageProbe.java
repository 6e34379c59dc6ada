package dev.rotor.orchestrator.retire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.catalog.RetireWhenSpec;
import dev.rotor.contracts.redact.SafeUrl;
import dev.rotor.orchestrator.saga.RetireGate;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Reads the previous version's share of use (0 to 1) with one read-only GET, bounded by the probe timeout: a
 * Prometheus instant query ({@code /api/v1/query}, answered by a scalar or a vector of exactly one sample), or an
 * app's endpoint whose JSON body holds the share at the entry's field. Any failure (refused, timed out, non-2xx, an
 * answer that is not one number from 0 to 1) is a sample with no share: not yet known, which never lets the
 * retirement happen early. The note says what was seen, never a body, and shows urls redacted.
 */
public final class UsageProbe {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http;
    private final Optional<String> prometheus;
    private final Duration timeout;

    public UsageProbe(Optional<String> prometheusUrl, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.prometheus = prometheusUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u);
        this.timeout = timeout;
    }

    /** The share of {@code version}, the number {@code {version}} stands for in the query or url. Blocking. */
    public RetireGate.Sample share(RetireWhenSpec when, int version) {
        String v = String.valueOf(version);
        String query = when.query() == null ? null : when.query().replace("{version}", v);
        String url = when.url() == null ? null : when.url().replace("{version}", v);
        return read(when.source(), query, url, when.fieldPointer());
    }

    /**
     * One value from 0 to 1: {@code query} through Prometheus when {@code source} is {@code prometheus}, else the
     * number at {@code pointer} in the JSON body of {@code url}; placeholders already replaced. Blocking. Also read by
     * the gate of a rollout's waves.
     */
    public RetireGate.Sample read(String source, String query, String url, String pointer) {
        if (RetireWhenSpec.PROMETHEUS.equals(source)) {
            if (prometheus.isEmpty()) {
                return unknown("no Prometheus configured (rotor.orchestrator.retire-gate.prometheus-url)");
            }
            String full = prometheus.get() + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
            String what = "prometheus " + SafeUrl.redact(prometheus.get());
            Got got = get(full, what);
            return got.failure() != null ? got.failure() : prometheus(got.body(), what);
        }
        String what = "GET " + SafeUrl.redact(url);
        Got got = get(url, what);
        return got.failure() != null ? got.failure() : field(got.body(), pointer, what);
    }

    /** A 2xx body, or why there is none. */
    private record Got(String body, RetireGate.Sample failure) {
        static Got failed(String note) {
            return new Got(null, unknown(note));
        }
    }

    private Got get(String url, String what) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Accept", "application/json")
                    .GET().build();
        } catch (IllegalArgumentException e) {
            return Got.failed(what + ": invalid url");
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() < 200 || response.statusCode() >= 300) {
                return Got.failed(what + " answered " + response.statusCode());
            }
            return new Got(response.body(), null);
        } catch (HttpTimeoutException e) {
            return Got.failed(what + " timed out after " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return Got.failed(what + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Got.failed(what + " interrupted");
        }
    }

    static RetireGate.Sample prometheus(String body, String what) {
        try {
            JsonNode root = JSON.readTree(body);
            if (!"success".equals(root.path("status").asText())) {
                return unknown(what + " answered status " + safe(root.path("status").asText()) + " ("
                        + safe(root.path("errorType").asText()) + ")");
            }
            JsonNode data = root.path("data");
            String type = data.path("resultType").asText();
            JsonNode value;
            if ("scalar".equals(type)) {
                value = data.path("result");
            } else if ("vector".equals(type) && data.path("result").size() == 1) {
                value = data.path("result").get(0).path("value");
            } else if ("vector".equals(type)) {
                return unknown(what + " answered " + data.path("result").size()
                        + " samples; the query must give exactly one");
            } else {
                return unknown(what + " answered a " + safe(type) + "; the query must give a scalar or one sample");
            }
            return share(value.path(1).asText(), what);
        } catch (IOException | RuntimeException e) {
            return unknown(what + " answered no Prometheus JSON");
        }
    }

    static RetireGate.Sample field(String body, String pointer, String what) {
        try {
            JsonNode node = JSON.readTree(body).at(pointer);
            if (!node.isNumber()) {
                return unknown(what + " has no number at " + pointer);
            }
            return share(node.asText(), what);
        } catch (IOException | RuntimeException e) {
            return unknown(what + " answered no JSON");
        }
    }

    private static RetireGate.Sample share(String text, String what) {
        double share;
        try {
            share = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return unknown(what + " answered no number");
        }
        if (Double.isNaN(share) || share < 0 || share > 1) {
            return unknown(what + " answered " + share + ", not a share from 0 to 1");
        }
        return new RetireGate.Sample(share, what + " answered " + share);
    }

    /** Prometheus's own words (status, type) are short tokens; anything else is not repeated. */
    private static String safe(String token) {
        return token.matches("[A-Za-z_]{1,32}") ? token : "?";
    }

    private static RetireGate.Sample unknown(String note) {
        return new RetireGate.Sample(null, note);
    }
}
