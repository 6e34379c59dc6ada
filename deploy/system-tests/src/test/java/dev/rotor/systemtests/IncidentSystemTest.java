package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident loop over the four real services: PagerDuty (played by this test, signing as PagerDuty does) reports
 * an incident on the auth service; the orchestrator rotates jwt-secret and its related session-secret as EMERGENCY,
 * secret-sync rewrites both env files, and the old values are gone. A redelivery and a forged delivery start nothing,
 * and no log line holds the webhook secret or a secret value.
 */
class IncidentSystemTest {
    private static final String WEBHOOK_SECRET = "pd-system-test-webhook-secret-5be0c2";
    private static final String JWT = "1111111111111111111111111111111111111111111111111111111111111111";
    private static final String SESSION = "2222222222222222222222222222222222222222222222222222222222222222";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static RotorSystem system;
    static Api api;

    @BeforeAll
    static void startSystem() throws Exception {
        Files.writeString(dir.resolve("jwt.env"), "JWT_SECRET=" + JWT + "\nJWT_SECRET_PREVIOUS=\n");
        Files.writeString(dir.resolve("session.env"), "SESSION_SECRET=" + SESSION + "\nSESSION_SECRET_PREVIOUS=\n");
        String text = new String(IncidentSystemTest.class.getResourceAsStream("/incident-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString());
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), text);
        system = new RotorSystem(Files.createDirectories(dir.resolve("home")), catalog,
                Map.of("ROTOR_INCIDENTS_PAGERDUTY_SECRET", WEBHOOK_SECRET));
        api = new Api(system);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aPagerDutyIncidentRotatesJwtSecretAndItsRelatedSessionSecretOnce() throws Exception {
        String body = """
                {"event":{"id":"01EVTSYS","event_type":"incident.triggered","resource_type":"incident",
                 "occurred_at":"2026-12-02T10:00:05Z","data":{"id":"Q1SYSTEM","type":"incident",
                 "title":"JWT signing key committed to a public repo","created_at":"2026-12-02T10:00:00Z",
                 "service":{"id":"PAUTH01","summary":"Auth API","type":"service_reference"}}}}""";

        HttpResponse<String> forged = deliver(body, "v1=" + hmac("a guess", body));
        assertThat(forged.statusCode()).isEqualTo(401);

        HttpResponse<String> first = deliver(body, "v1=" + hmac(WEBHOOK_SECRET, body));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode started = JSON.readTree(first.body()).get("started");
        assertThat(started).hasSize(2);
        String parent = started.get(0).get("id").asText();
        String child = started.get(1).get("id").asText();
        assertThat(started.get(0).get("secretId").asText()).isEqualTo("jwt-secret");
        assertThat(started.get(1).get("secretId").asText()).isEqualTo("session-secret");

        JsonNode p = api.awaitTerminal(parent, Duration.ofSeconds(120));
        JsonNode c = api.awaitTerminal(child, Duration.ofSeconds(120));
        assertThat(p.get("state").asText()).as(p.toString()).isEqualTo("COMPLETED");
        assertThat(c.get("state").asText()).as(c.toString()).isEqualTo("COMPLETED");
        assertThat(p.get("trigger").asText()).isEqualTo("EMERGENCY");
        assertThat(p.get("requestedBy").asText()).isEqualTo("pagerduty:Q1SYSTEM");
        assertThat(c.get("parentId").asText()).isEqualTo(parent);
        assertThat(api.rotation(parent).get("children").get(0).get("state").asText()).isEqualTo("COMPLETED");

        // secret-sync rewrote both files; immediate leaves no previous value behind.
        Map<String, String> jwt = EnvFile.read(dir.resolve("jwt.env"));
        Map<String, String> session = EnvFile.read(dir.resolve("session.env"));
        assertThat(jwt.get("JWT_SECRET")).matches("[0-9a-f]{64}").isNotEqualTo(JWT);
        assertThat(session.get("SESSION_SECRET")).matches("[0-9a-f]{64}").isNotEqualTo(SESSION);
        assertThat(jwt.get("JWT_SECRET_PREVIOUS")).isEmpty();
        assertThat(session.get("SESSION_SECRET_PREVIOUS")).isEmpty();
        assertThat(api.report(parent).get("exposure").get("start").asText()).isEqualTo("2026-12-02T10:00:00Z");

        // PagerDuty redelivers: nothing new starts.
        HttpResponse<String> again = deliver(body, "v1=" + hmac(WEBHOOK_SECRET, body));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).get("duplicate").asBoolean()).isTrue();
        List<String> all = new java.util.ArrayList<>();
        api.list().forEach(r -> all.add(r.get("secretId").asText()));
        assertThat(all).containsExactlyInAnyOrder("jwt-secret", "session-secret");

        String logs = system.allLogs();
        assertThat(logs).doesNotContain(WEBHOOK_SECRET);
        for (String value : List.of(JWT, SESSION, jwt.get("JWT_SECRET"), session.get("SESSION_SECRET"))) {
            for (String form : LeakForms.of(value)) {
                assertThat(logs).doesNotContain(form);
            }
        }
        for (HttpResponse<String> r : List.of(forged, first, again)) {
            assertThat(r.body()).doesNotContain(WEBHOOK_SECRET);
        }
    }

    private static HttpResponse<String> deliver(String body, String signature) throws Exception {
        URI uri = system.service("orchestrator").url("/api/incidents/pagerduty");
        return HTTP.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .header("X-PagerDuty-Signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** As PagerDuty signs: hex HMAC-SHA256 of the raw body. */
    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
