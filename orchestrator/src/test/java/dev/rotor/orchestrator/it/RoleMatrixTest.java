package dev.rotor.orchestrator.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.RoleMatrix;
import dev.rotor.local.auth.RoleMatrix.Call;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint of the orchestrator × every token: none, expired, foreign, and each role. The endpoints come from the
 * compiled resource classes; one without a role rule or without a sample below fails this test. The dashboard's pages
 * (outside {@code /api}: they sign in by cookie and redirect to the sign-in page) are covered by {@code DashboardTest}.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RoleMatrixTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void everyEndpointNeedsItsRoleAndRefusesEveryOtherToken() {
        // The dashboard's HTML pages (outside /api) take a session cookie, not a token: DashboardTest covers them.
        List<RoleMatrix.Endpoint> all = RoleMatrix.scan(Path.of("target/classes")).stream()
                .filter(e -> e.template().startsWith("/api")).toList();
        // The incident webhooks carry no role: PagerDuty and GitHub cannot present Rotor's tokens, so each delivery is
        // authenticated by its HMAC signature instead (IncidentFlowTest). A token alone, any role, opens nothing.
        List<RoleMatrix.Endpoint> webhooks = all.stream().filter(e -> e.key().startsWith("POST /api/incidents/"))
                .toList();
        assertThat(webhooks).extracting(RoleMatrix.Endpoint::key).containsExactlyInAnyOrder(
                "POST /api/incidents/pagerduty", "POST /api/incidents/github", "POST /api/incidents/webhook");
        for (RoleMatrix.Endpoint webhook : webhooks) {
            String path = webhook.key().substring("POST ".length());
            for (String role : List.of("viewer", "operator", "responder", "approver", "service")) {
                Api.given(role).contentType("application/json").body("{}").post(path).then().statusCode(401)
                        .contentType("application/problem+json")
                        .body("type", org.hamcrest.Matchers.equalTo("urn:rotor:problem:bad-signature"));
            }
        }
        List<RoleMatrix.Endpoint> endpoints = all.stream().filter(e -> !webhooks.contains(e)).toList();
        assertThat(endpoints).extracting(RoleMatrix.Endpoint::key).contains("POST /api/rotations",
                "GET /api/rotations", "GET /api/rotations/{id}", "POST /api/rotations/{id}/abort", "GET /api/secrets",
                "GET /api/secrets/{id}/versions", "GET /api/audit");
        String existing = Api.start("orch-matrix-emergency", "MANUAL").toString();
        // Needs 5 approvals: the approver's and the responder's both count, and it still awaits the others.
        String awaiting = Api.start("orch-matrix-approve", "MANUAL").toString();
        String unused = UUID.randomUUID().toString();
        String inGrace = completedInGrace("orch-matrix-retire");
        String toRollBack = completedInGrace("orch-matrix-rollback");
        Map<String, Function<String, Call>> samples = new java.util.HashMap<>(Map.of(
                // A granted role starts its own secret's rotation, so operator and responder both get 202.
                "POST /api/rotations", role -> new Call("/api/rotations",
                        "{\"secretId\":\"orch-matrix-" + (role == null ? "operator" : role)
                                + "\",\"trigger\":\"MANUAL\",\"reason\":\"matrix\"}"),
                "GET /api/rotations", role -> new Call("/api/rotations", null),
                "GET /api/rotations/{id}", role -> new Call("/api/rotations/" + existing, null),
                // Only a responder may abort: it aborts a rotation started for it.
                "POST /api/rotations/{id}/abort", role -> new Call("/api/rotations/"
                        + (role == null ? unused : Api.start("orch-matrix-abort", "MANUAL").toString()) + "/abort",
                        null),
                // Each granted role approves the same rotation (one decision per person) ...
                "POST /api/rotations/{id}/approve", role -> new Call("/api/rotations/"
                        + (role == null ? unused : awaiting) + "/approve", "{\"reason\":\"matrix\"}"),
                // ... and denies one started for it, which frees the secret for the next.
                "POST /api/rotations/{id}/deny", role -> new Call("/api/rotations/"
                        + (role == null ? unused : Api.start("orch-matrix-deny", "MANUAL").toString()) + "/deny",
                        null),
                "GET /api/rotations/{id}/report", role -> new Call("/api/rotations/" + existing + "/report", null),
                "GET /api/reports/rotations", role -> new Call("/api/reports/rotations", null),
                "GET /api/secrets", role -> new Call("/api/secrets", null),
                "GET /api/secrets/{id}/versions", role -> new Call("/api/secrets/orch-list/versions", null)));
        samples.put("GET /api/audit", role -> new Call("/api/audit?limit=5", null));
        // Only a responder may force a retirement: of a COMPLETED rotation whose previous version is in its grace.
        samples.put("POST /api/rotations/{id}/retire", role -> new Call("/api/rotations/"
                + (role == null ? unused : inGrace) + "/retire", null));

        // Only a responder may roll back: a COMPLETED rotation whose previous version is still kept.
        samples.put("POST /api/rotations/{id}/rollback", role -> new Call("/api/rotations/"
                + (role == null ? unused : toRollBack) + "/rollback", "{\"reason\":\"matrix\"}"));

        String table = RoleMatrix.run(base, endpoints, samples);

        System.out.println("orchestrator role matrix:\n" + table);
        assertThat(table).contains("POST /api/rotations/{id}/abort");
    }

    /** A dual-key rotation answered as secret-sync would, left COMPLETED with version 1 in its grace. */
    private static String completedInGrace(String secretId) {
        try (Flow flow = new Flow()) {
            UUID id = Api.start(secretId, "MANUAL");
            Flow.reply(flow.await(id, dev.rotor.contracts.messages.Step.STAGE_SECRET,
                    dev.rotor.contracts.messages.Direction.FORWARD, 1).succeeded(1, 2, "staged"));
            Flow.reply(flow.await(id, dev.rotor.contracts.messages.Step.UPDATE_SECRET,
                    dev.rotor.contracts.messages.Direction.FORWARD, 1).succeeded(1, 2, "updated"));
            Api.awaitState(id, "COMPLETED");
            return id.toString();
        }
    }
}
