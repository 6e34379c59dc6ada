package dev.rotor.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The orchestrator's and secret-sync's REST APIs, as a user (or the launcher) calls them, with tokens from the
 * system's local issuer: a responder starts rotations (any trigger), a viewer reads, secret-sync's store API takes the
 * service role.
 */
final class Api {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RotorSystem system;
    private final String orchestrator;

    Api(RotorSystem system) {
        this(system, "orchestrator");
    }

    /** The API of one orchestrator instance (see {@link RotorSystem}'s instances), by its service name. */
    Api(RotorSystem system, String orchestrator) {
        this.system = system;
        this.orchestrator = orchestrator;
    }

    /** POST /api/rotations; returns the new rotation's id. */
    String rotate(String secretId, String trigger, String reason) throws Exception {
        String body = JSON.writeValueAsString(Map.of("secretId", secretId, "trigger", trigger, "reason", reason));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(orchestrator("/api/rotations"))
                .header("Content-Type", "application/json").header("Authorization", bearer("responder")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new AssertionError("POST /api/rotations answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("id").asText();
    }

    /** POST /api/rotations/{id}/{action} as a responder with {@code {"reason"}}: the status and the body. */
    HttpResponse<String> act(String id, String action, String reason) throws Exception {
        String body = JSON.writeValueAsString(Map.of("reason", reason));
        return HTTP.send(HttpRequest.newBuilder(orchestrator("/api/rotations/" + id + "/" + action))
                .header("Content-Type", "application/json").header("Authorization", bearer("responder"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET /api/rotations: newest first. */
    JsonNode list() throws Exception {
        return get(orchestrator("/api/rotations"), "viewer");
    }

    /** GET /api/rotations?limit=n: the newest n. */
    JsonNode list(int limit) throws Exception {
        return get(orchestrator("/api/rotations?limit=" + limit), "viewer");
    }

    /** GET /api/audit?rotation=id: the rotation's audit entries in chain order (at most 1000). */
    JsonNode audit(String rotationId) throws Exception {
        return get(orchestrator("/api/audit?limit=1000&rotation=" + rotationId), "viewer");
    }

    JsonNode rotation(String id) throws Exception {
        return get(orchestrator("/api/rotations/" + id), "viewer");
    }

    /** Polls until the rotation reaches a terminal state, and returns it. */
    JsonNode awaitTerminal(String id, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode rotation = rotation(id);
        while (System.nanoTime() < deadline) {
            rotation = rotation(id);
            String state = rotation.get("state").asText();
            if (state.equals("COMPLETED") || state.equals("ROLLED_BACK") || state.equals("FAILED")) {
                awaitOutboxRelayed(Math.min(deadline, System.nanoTime() + Duration.ofSeconds(30).toNanos()));
                return rotation;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("rotation " + id + " not terminal after " + timeout + ": " + rotation);
    }

    /**
     * The API shows a transition once it commits; the relay publishes the milestones that commit wrote just after
     * (longer right after an orchestrator restart, while its producer connects). So a test that reads the topic once
     * the rotation is terminal first waits, until {@code deadline} (30 s at most), for the orchestrators' outbox to hold no
     * unpublished row: the broker has acknowledged everything written so far.
     */
    private void awaitOutboxRelayed(long deadline) throws Exception {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(system.jdbcUrl, system.dbUser,
                system.dbPassword); java.sql.Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                try (java.sql.ResultSet rs = st.executeQuery("select count(*) from outbox where published_at is null")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
        }
    }

    /** secret-sync's view of a secret's versions and labels (never values). */
    JsonNode versions(String storePath) throws Exception {
        return get(system.service("secret-sync").url("/api/store/" + storePath + "/versions"), "service");
    }

    private URI orchestrator(String path) {
        return system.service(orchestrator).url(path);
    }

    /** The rotation's report as JSON (viewer). */
    JsonNode report(String id) throws Exception {
        return get(orchestrator("/api/rotations/" + id + "/report"), "viewer");
    }

    /** The rotation's report as Markdown (viewer). */
    String reportMarkdown(String id) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(orchestrator("/api/rotations/" + id + "/report"))
                .header("Accept", "text/markdown").header("Authorization", bearer("viewer")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("report of " + id + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private String bearer(String role) {
        return "Bearer " + system.auth.mint("system-test", List.of(role), Duration.ofMinutes(5));
    }

    private JsonNode get(URI uri, String role) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).header("Authorization", bearer(role)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
