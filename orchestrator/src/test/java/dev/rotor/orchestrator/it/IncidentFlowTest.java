package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.orchestrator.incident.WebhookSignatures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Incident webhooks through the real endpoints, broker and database: signatures, the catalog's incidents rules,
 * EMERGENCY rotations with their related entries (the family), redelivery, and no signing secret in any answer or log
 * line. The test plays the workers on rotor.step-results.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class IncidentFlowTest {
    // The %test values of application.properties.
    private static final String PD_SECRET = "pd-test-signing-secret-7f3a91";
    private static final String GH_SECRET = "It's a Secret to Everybody";
    private static final String GENERIC_SECRET = "generic-test-signing-secret-c41e";
    private static final List<String> SECRETS = List.of(PD_SECRET, GH_SECRET, GENERIC_SECRET);

    private final Flow flow = new Flow();
    private final LogCapture logs = LogCapture.start();
    private final List<String> answers = new ArrayList<>();

    @AfterEach
    void close() {
        flow.close();
        logs.close();
    }

    @Test
    void aSignedPagerDutyIncidentRotatesJwtSecretAndItsRelatedSessionSecretOnce() {
        String body = pagerDuty("Q1JWTLEAK", "incident.triggered", "PAUTH01", "JWT signing key exposed",
                "2026-12-02T10:00:00Z");
        // PagerDuty lists one signature per active secret; one of them matching is enough.
        String signatures = "v1=" + WebhookSignatures.hex("an-older-secret", bytes(body)) + ", v1="
                + WebhookSignatures.hex(PD_SECRET, bytes(body));

        JsonPath started = post("/api/incidents/pagerduty", body, Map.of("X-PagerDuty-Signature", signatures), 202);
        assertThat(started.getString("incident")).isEqualTo("pagerduty:Q1JWTLEAK");
        assertThat(started.getBoolean("duplicate")).isFalse();
        assertThat(started.getList("started.secretId")).containsExactly("jwt-secret", "session-secret");
        assertThat(started.getList("started.state")).containsExactly("RUNNING", "RUNNING");
        UUID parent = UUID.fromString(started.getString("started[0].id"));
        UUID child = UUID.fromString(started.getString("started[1].id"));
        assertThat(started.getString("started[0].parentId")).isNull();
        assertThat(started.getString("started[1].parentId")).isEqualTo(parent.toString());

        for (UUID id : List.of(parent, child)) {
            Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
            Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        }
        Api.awaitState(parent, "COMPLETED");
        Api.awaitState(child, "COMPLETED");

        Api.get(parent).then().body("trigger", equalTo("EMERGENCY")).body("strategy", equalTo("immediate"))
                .body("requestedBy", equalTo("pagerduty:Q1JWTLEAK")).body("incident", equalTo("pagerduty:Q1JWTLEAK"))
                .body("incidentAt", equalTo("2026-12-02T10:00:00Z"))
                .body("reason", equalTo("pagerduty incident Q1JWTLEAK: JWT signing key exposed"))
                .body("parentId", equalTo(null))
                .body("children.id", equalTo(List.of(child.toString())))
                .body("children.secretId", equalTo(List.of("session-secret")))
                .body("children.state", equalTo(List.of("COMPLETED")));
        Api.get(child).then().body("trigger", equalTo("EMERGENCY")).body("parentId", equalTo(parent.toString()))
                .body("requestedBy", equalTo("pagerduty:Q1JWTLEAK")).body("children", equalTo(List.of()))
                .body("reason", equalTo("related to jwt-secret (rotation " + parent
                        + "): pagerduty incident Q1JWTLEAK: JWT signing key exposed"));

        // Audited as the incident, from the incident source; the child names its parent.
        Api.given("viewer").get("/api/audit?rotation=" + parent).then().statusCode(200)
                .body("[0].kind", equalTo("rotation-requested")).body("[0].subject", equalTo("pagerduty:Q1JWTLEAK"))
                .body("[0].source", equalTo("incident")).body("[0].detail.incident", equalTo("pagerduty:Q1JWTLEAK"));
        Api.given("viewer").get("/api/audit?rotation=" + child).then().statusCode(200)
                .body("[0].subject", equalTo("pagerduty:Q1JWTLEAK")).body("[0].source", equalTo("incident"))
                .body("[0].detail.parent", equalTo(parent.toString()));

        // The report: the exposure starts when the incident began, and the family is listed with its outcome.
        JsonPath report = Api.given("viewer").get("/api/rotations/" + parent + "/report").then().statusCode(200)
                .extract().jsonPath();
        assertThat(report.getString("exposure.start")).isEqualTo("2026-12-02T10:00:00Z");
        assertThat(report.getString("exposure.until")).isEqualTo("UPDATE_SECRET");
        assertThat(report.getString("incident")).isEqualTo("pagerduty:Q1JWTLEAK");
        assertThat(report.getList("children.secretId")).containsExactly("session-secret");
        assertThat(report.getList("children.state")).containsExactly("COMPLETED");
        String markdown = Api.given("viewer").accept("text/markdown").get("/api/rotations/" + parent + "/report")
                .then().statusCode(200).extract().asString();
        assertThat(markdown).contains("- **Incident:** pagerduty:Q1JWTLEAK (began 2026-12-02T10:00:00Z)")
                .contains("- **Related:** session-secret: rotation " + child + ", COMPLETED");

        // A redelivery starts nothing and answers with the first delivery's rotations.
        JsonPath again = post("/api/incidents/pagerduty", body, Map.of("X-PagerDuty-Signature", signatures), 200);
        assertThat(again.getBoolean("duplicate")).isTrue();
        assertThat(again.getList("started.id")).containsExactly(parent.toString(), child.toString());
        assertThat(rotationsOf("jwt-secret")).containsExactly(parent.toString());
        assertThat(rotationsOf("session-secret")).containsExactly(child.toString());

        assertThat(logs.lines()).as("the capture sees the incident's own lines")
                .anyMatch(l -> l.contains("incident pagerduty:Q1JWTLEAK: 2 rotation(s) started"));
        assertNoSecretAnywhere();
    }

    @Test
    void aWrongOrMissingSignatureIs401AndStartsNothing() {
        String body = pagerDuty("Q2FORGED", "incident.triggered", "PAUTH01", "forged", "2026-12-02T10:00:00Z");
        for (String signature : List.of("v1=" + WebhookSignatures.hex("not-the-secret", bytes(body)),
                "v1=" + WebhookSignatures.hex(PD_SECRET, bytes(body + " ")), "")) {
            Response r = RestAssured.given().contentType("application/json").header("X-PagerDuty-Signature",
                    signature).body(body).post("/api/incidents/pagerduty");
            answers.add(r.asString());
            r.then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("urn:rotor:problem:bad-signature"))
                    .body("detail", containsString("X-PagerDuty-Signature"));
        }
        RestAssured.given().contentType("application/json").body(body).post("/api/incidents/pagerduty")
                .then().statusCode(401);
        // Signed for the generic webhook, but six minutes old: refused as a replay.
        String old = String.valueOf(Instant.now().minusSeconds(360).getEpochSecond());
        String generic = "{\"id\":\"SIEM-OLD\",\"service\":\"siem\",\"title\":\"Signing key in a log\"}";
        RestAssured.given().contentType("application/json").header("X-Rotor-Timestamp", old)
                .header("X-Rotor-Signature", "v1=" + WebhookSignatures.hex(GENERIC_SECRET, bytes(old + "." + generic)))
                .body(generic).post("/api/incidents/webhook")
                .then().statusCode(401).body("detail", containsString("X-Rotor-Timestamp"));

        List<String> requesters = Api.given("viewer").get("/api/rotations?limit=500").then().statusCode(200)
                .extract().jsonPath().getList("requestedBy");
        assertThat(requesters).doesNotContain("pagerduty:Q2FORGED", "webhook:SIEM-OLD");
        assertNoSecretAnywhere();
    }

    @Test
    void gitHubsWorkedExampleVerifiesAndALeakedTokenIsRotatedWithoutItsValueEverShown() {
        // GitHub's documented example: this signature of "Hello, World!" under the test's GitHub secret.
        Response ping = RestAssured.given().contentType("application/json").header("X-GitHub-Event", "ping")
                .header("X-Hub-Signature-256",
                        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
                .body("Hello, World!").post("/api/incidents/github");
        ping.then().statusCode(200).body("ignored", equalTo("GitHub event ping starts no rotation"));

        String leaked = "ghp_LeakedValueThatMustNeverBeEchoed0123456789";
        String body = """
                {"action":"created","alert":{"number":7,"secret_type":"github_personal_access_token",
                 "secret_type_display_name":"GitHub Personal Access Token","secret":"%s",
                 "created_at":"2026-12-02T09:30:00Z"},"repository":{"full_name":"acme/app"}}""".formatted(leaked);
        Map<String, String> headers = Map.of("X-GitHub-Event", "secret_scanning_alert", "X-Hub-Signature-256",
                "sha256=" + WebhookSignatures.hex(GH_SECRET, bytes(body)));
        JsonPath started = post("/api/incidents/github", body, headers, 202);
        assertThat(started.getString("incident")).isEqualTo("github:acme/app#7");
        assertThat(started.getList("started.secretId")).containsExactly("inc-gh-token");
        UUID id = UUID.fromString(started.getString("started[0].id"));
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        Api.get(id).then().body("requestedBy", equalTo("github:acme/app#7"))
                .body("reason", equalTo("github incident acme/app#7: GitHub Personal Access Token leaked in acme/app"));

        // A later action on the same alert starts nothing.
        String resolved = body.replace("\"created\"", "\"resolved\"");
        post("/api/incidents/github", resolved, Map.of("X-GitHub-Event", "secret_scanning_alert",
                "X-Hub-Signature-256", "sha256=" + WebhookSignatures.hex(GH_SECRET, bytes(resolved))), 200);
        assertThat(rotationsOf("inc-gh-token")).containsExactly(id.toString());

        assertNoSecretAnywhere();
        assertThat(answers).noneMatch(a -> a.contains(leaked));
        assertThat(logs.lines()).noneMatch(l -> l.contains(leaked));
        String events = flow.events(id).toString();
        assertThat(events).doesNotContain(leaked);
    }

    @Test
    void theGenericWebhookMatchesItsRulesAndRefusesMalformedBodiesByName() {
        String ts = String.valueOf(Instant.now().getEpochSecond());
        String body = "{\"id\":\"SIEM-42\",\"service\":\"siem\",\"title\":\"Signing key printed in a log\","
                + "\"occurredAt\":\"2026-12-02T08:00:00Z\"}";
        JsonPath started = post("/api/incidents/webhook", body, Map.of("X-Rotor-Timestamp", ts,
                "X-Rotor-Signature", "v1=" + WebhookSignatures.hex(GENERIC_SECRET, bytes(ts + "." + body))), 202);
        assertThat(started.getList("started.secretId")).containsExactly("inc-siem-key");
        UUID id = UUID.fromString(started.getString("started[0].id"));
        Api.get(id).then().body("incident", equalTo("webhook:SIEM-42"));
        Api.abort(id).then().statusCode(202);
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("nothing staged"));
        Api.awaitState(id, "ROLLED_BACK");

        // No rule matches: 200, nothing started.
        String other = "{\"id\":\"SIEM-43\",\"service\":\"siem\",\"title\":\"Disk full\"}";
        JsonPath none = post("/api/incidents/webhook", other, Map.of("X-Rotor-Timestamp", ts,
                "X-Rotor-Signature", "v1=" + WebhookSignatures.hex(GENERIC_SECRET, bytes(ts + "." + other))), 200);
        assertThat(none.getList("started")).isEmpty();

        // Signed, but not the expected JSON: 400 naming the problem.
        for (String[] bad : new String[][] {{"{\"title\":\"no id\"}", "field 'id' is required"},
                {"[1,2", "the body is not the expected JSON"},
                {"{\"id\":\"X\",\"occurredAt\":\"yesterday\"}", "field 'occurredAt' must be an ISO-8601 instant"}}) {
            Response r = RestAssured.given().contentType("application/json").header("X-Rotor-Timestamp", ts)
                    .header("X-Rotor-Signature", "v1=" + WebhookSignatures.hex(GENERIC_SECRET, bytes(ts + "." + bad[0])))
                    .body(bad[0]).post("/api/incidents/webhook");
            answers.add(r.asString());
            r.then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:rotor:problem:malformed-incident"))
                    .body("detail", containsString(bad[1]));
        }
        String pd = "{\"event\":{\"event_type\":\"incident.triggered\",\"data\":{\"title\":\"no id\"}}}";
        RestAssured.given().contentType("application/json")
                .header("X-PagerDuty-Signature", "v1=" + WebhookSignatures.hex(PD_SECRET, bytes(pd)))
                .body(pd).post("/api/incidents/pagerduty").then().statusCode(400)
                .body("detail", equalTo("field 'event.data.id' is required"));
        assertNoSecretAnywhere();
    }

    @Test
    void oneChildFailingDoesNotRollBackItsParentOrSiblingAndTheParentListsEachOutcome() {
        // Any EMERGENCY cascades, not only an incident's: here one asked for over REST.
        UUID parent = Api.start("inc-family", "EMERGENCY");
        List<Map<String, String>> children = awaitChildren(parent, 2);
        UUID a = UUID.fromString(children.stream().filter(c -> c.get("secretId").equals("inc-family-a"))
                .findFirst().orElseThrow().get("id"));
        UUID b = UUID.fromString(children.stream().filter(c -> c.get("secretId").equals("inc-family-b"))
                .findFirst().orElseThrow().get("id"));

        // The three STAGE commands left together; answer them together, well inside the step timeout.
        var stageA = flow.await(a, STAGE_SECRET, FORWARD, 1);
        var stageParent = flow.await(parent, STAGE_SECRET, FORWARD, 1);
        var stageB = flow.await(b, STAGE_SECRET, FORWARD, 1);
        Flow.reply(stageA.failed(false, "store refused the new version"));
        Flow.reply(stageParent.succeeded(1, 2, "staged"));
        Flow.reply(stageB.succeeded(1, 2, "staged"));
        Flow.reply(flow.await(a, STAGE_SECRET, COMPENSATE, 1).compensated("nothing staged"));
        for (UUID id : List.of(parent, b)) {
            Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        }
        Api.awaitState(a, "ROLLED_BACK");
        Api.awaitState(b, "COMPLETED");
        Api.awaitState(parent, "COMPLETED");
        Api.get(parent).then().body("children.find { it.secretId == 'inc-family-a' }.state", equalTo("ROLLED_BACK"))
                .body("children.find { it.secretId == 'inc-family-b' }.state", equalTo("COMPLETED"))
                .body("children.find { it.secretId == 'inc-family-a' }.error",
                        containsString("store refused the new version"));
        // A MANUAL rotation does not cascade (cascade: emergency, the default).
        UUID manual = Api.start("inc-family", "MANUAL");
        Api.get(manual).then().body("children", equalTo(List.of()));
        Api.abort(manual).then().statusCode(202);
        // Answered, so that nothing of this test keeps running (and writing audit entries) after it.
        Flow.reply(flow.await(manual, STAGE_SECRET, COMPENSATE, 1).compensated("nothing staged"));
        Api.awaitState(manual, "ROLLED_BACK");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> awaitChildren(UUID parent, int n) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> Api.get(parent).jsonPath().getList("children").size() == n);
        return (List<Map<String, String>>) (List<?>) Api.get(parent).jsonPath().getList("children");
    }

    private JsonPath post(String path, String body, Map<String, String> headers, int status) {
        Response r = RestAssured.given().contentType("application/json").headers(headers).body(body).post(path);
        answers.add(r.asString());
        return r.then().statusCode(status).contentType("application/json").extract().jsonPath();
    }

    private static List<String> rotationsOf(String secretId) {
        return Api.given("viewer").get("/api/rotations?limit=500").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.secretId == '" + secretId + "' }.id");
    }

    private void assertNoSecretAnywhere() {
        for (String secret : SECRETS) {
            assertThat(answers).noneMatch(a -> a.contains(secret));
            assertThat(logs.lines()).noneMatch(l -> l.contains(secret));
        }
    }

    private static String pagerDuty(String id, String type, String service, String title, String createdAt) {
        return """
                {"event":{"id":"01EVT%s","event_type":"%s","resource_type":"incident",
                 "occurred_at":"2026-12-02T10:00:05Z","agent":null,
                 "data":{"id":"%s","type":"incident","title":"%s","status":"triggered","urgency":"high",
                  "created_at":"%s","service":{"id":"%s","summary":"Auth API","type":"service_reference"}}}}"""
                .formatted(id, type, id, title, createdAt, service);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
