package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.contracts.messages.ApprovalRequested;
import dev.rotor.contracts.messages.RotationApproved;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.TestAuth;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Approvals, denials, expiry, break-glass, and an emergency that supersedes a running rotation. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class ApprovalFlowTest {
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void twoDistinctApproversNeitherOfThemTheRequesterStartIt() throws InterruptedException {
        // alice may approve in general, but not her own request.
        UUID id = start("orch-approval", "MANUAL", "alice", "operator", "approver");
        Api.get(id).then().body("state", equalTo("AWAITING_APPROVAL"));
        List<String> milestones = flow.milestones(id, "approval-requested");
        assertThat(milestones).containsExactly("rotation-requested", "approval-requested");
        ApprovalRequested asked = (ApprovalRequested) flow.events(id).get(1);
        assertThat(asked.required()).isEqualTo(2);
        assertThat(asked.roles()).containsExactly("approver");
        assertThat(asked.requestedBy()).isEqualTo("alice");

        decide(id, "approve", "alice", "approver").then().statusCode(403)
                .contentType("application/problem+json").body("detail", containsString("own rotation"));
        decide(id, "approve", "olga", "operator").then().statusCode(403);
        decide(id, "approve", "bob", "approver").then().statusCode(200)
                .body("state", equalTo("AWAITING_APPROVAL")).body("approvals", equalTo(1))
                .body("required", equalTo(2));
        decide(id, "approve", "bob", "approver").then().statusCode(409)
                .body("detail", containsString("bob has already decided"));
        Thread.sleep(500);
        assertThat(flow.commandOrder(id)).as("no step runs before approval").isEmpty();

        decide(id, "approve", "carol", "approver").then().statusCode(200).body("state", equalTo("RUNNING"))
                .body("approvals", equalTo(2));
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested",
                "approval-requested", "rotation-approved", "secret-staged", "secret-updated", "rotation-completed");
        assertThat(flow.events(id)).filteredOn(RotationApproved.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((RotationApproved) e).approvers()).containsExactly("bob", "carol"));
        decide(id, "approve", "dave", "approver").then().statusCode(409)
                .body("detail", containsString("not awaiting approval"));

        // The report says who asked, who approved, the frozen plan, what ran and what was sent.
        Api.given("viewer").get("/api/rotations/" + id + "/report").then().statusCode(200)
                .contentType("application/json")
                .body("requestedBy", equalTo("alice")).body("state", equalTo("COMPLETED"))
                .body("approvals.subject", equalTo(List.of("bob", "carol")))
                .body("approvals.decision", equalTo(List.of("APPROVED", "APPROVED")))
                .body("plan.name", equalTo("dual-key"))
                .body("plan.steps.step", equalTo(List.of("STAGE_SECRET", "UPDATE_SECRET", "RETIRE_PREVIOUS")))
                .body("targets[0].path", equalTo("/tmp/rotor-test/orch-approval.env"))
                .body("timeline.step", equalTo(List.of("STAGE_SECRET", "UPDATE_SECRET")))
                .body("timeline.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED")))
                .body("fromVersion", equalTo(1)).body("toVersion", equalTo(2))
                .body("milestones.type", equalTo(List.of("rotation-requested", "approval-requested",
                        "rotation-approved", "secret-staged", "secret-updated", "rotation-completed")))
                .body("exposure", equalTo(null));
        String markdown = Api.given("viewer").accept("text/markdown").get("/api/rotations/" + id + "/report")
                .then().statusCode(200).contentType(containsString("text/markdown")).extract().asString();
        assertThat(markdown).startsWith("# Rotation " + id).contains("- **Requested by:** alice",
                "- APPROVED by bob (approver)", "- APPROVED by carol (approver)", "| UPDATE_SECRET | FORWARD |"
                        + " SUCCEEDED | 1 |", "- target: env-file /tmp/rotor-test/orch-approval.env SECRET_CURRENT");
        Api.given("viewer").get("/api/rotations/" + UUID.randomUUID() + "/report").then().statusCode(404);
        // The decisions and the refused self-approval are in the audit log, and in the report with their hashes.
        List<String> kinds = Api.given("viewer").get("/api/audit?rotation=" + id).then().statusCode(200)
                .extract().path("kind");
        List<String> subjects = Api.given("viewer").get("/api/audit?rotation=" + id).then().extract()
                .path("subject");
        assertThat(kinds).contains("rotation-requested", "request-refused", "approval-given");
        assertThat(subjects.get(kinds.indexOf("request-refused"))).isEqualTo("alice");
        assertThat(subjects).filteredOn(x -> x.equals("bob") || x.equals("carol")).containsExactly("bob", "carol");
        assertThat(markdown).contains("approval-given by bob `", "approval-given by carol `");
    }

    @Test
    void aDenialEndsItWithNothingTouched() throws InterruptedException {
        UUID id = start("orch-approval-deny", "MANUAL", "alice", "operator");
        flow.milestones(id, "approval-requested");
        decide(id, "deny", "bob", "approver", "{\"reason\":\"release freeze\"}").then().statusCode(200)
                .body("state", equalTo("DENIED"));
        Api.get(id).then().body("state", equalTo("DENIED")).body("error", equalTo("denied by bob: release freeze"));
        assertThat(flow.milestones(id, "rotation-denied")).containsExactly("rotation-requested",
                "approval-requested", "rotation-denied");
        Thread.sleep(500);
        assertThat(flow.commandOrder(id)).isEmpty();
        // The secret is free again.
        UUID next = start("orch-approval-deny", "MANUAL", "alice", "operator");
        Api.get(next).then().body("state", equalTo("AWAITING_APPROVAL"));
    }

    @Test
    void anExpiredRequestTouchesNothing() throws InterruptedException {
        UUID id = start("orch-approval-expiry", "MANUAL", "alice", "operator");
        Api.awaitState(id, "EXPIRED");
        assertThat(flow.milestones(id, "rotation-expired")).containsExactly("rotation-requested",
                "approval-requested", "rotation-expired");
        Api.get(id).then().body("error", equalTo("approval expired with 0 of 1 approval(s)"));
        decide(id, "approve", "bob", "approver").then().statusCode(409);
        Thread.sleep(500);
        assertThat(flow.commandOrder(id)).isEmpty();
    }

    @Test
    void anEmergencySkipsApprovalAndIsFlaggedAsBreakGlass() {
        UUID id = start("orch-approval", "EMERGENCY", "ruth", "responder");
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        assertThat(flow.milestones(id, "approval-skipped")).containsExactly("rotation-requested",
                "approval-skipped");
        Flow.reply(stage.succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        // An immediate emergency: the old value stopped working when UPDATE_SECRET succeeded.
        Api.given("viewer").get("/api/rotations/" + id + "/report").then().statusCode(200)
                .body("plan.name", equalTo("immediate")).body("exposure.until", equalTo("UPDATE_SECRET"))
                .body("exposure.end", equalTo(Api.get(id).then().extract().<String>path("steps.find {"
                        + " it.step == 'UPDATE_SECRET' }.finishedAt")))
                .body("exposure.start", equalTo(Api.get(id).then().extract().<String>path("requestedAt")));
    }

    @Test
    void theComplianceCsvListsEveryEntryItsRotationsAndWhoIsPastMaxAge() {
        UUID id = start("orch-compliance", "MANUAL", "alice", "operator");
        decide(id, "deny", "bob", "approver").then().statusCode(200);
        String csv = Api.given("viewer").get("/api/reports/rotations?since=2020-01-01").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        List<String> lines = List.of(csv.split("\r\n"));
        assertThat(lines.get(0)).isEqualTo("secret_id,kind,strategy,max_age,rotation_id,trigger,state,requested_by,"
                + "requested_at,completed_at,age_at_request_days,past_max_age_at_until");
        assertThat(lines).anyMatch(l -> l.startsWith("orch-compliance,signing-key,dual-key,30d," + id
                + ",MANUAL,DENIED,alice,") && l.endsWith(",never rotated"));
        // An entry without a rotation in the period still has its line.
        assertThat(lines).anyMatch(l -> l.startsWith("orch-matrix-deny,signing-key,dual-key,,,,,,,,,"));
        Api.given("viewer").get("/api/reports/rotations?since=yesterday").then().statusCode(400)
                .body("detail", containsString("'since'"));
    }

    @Test
    void anEmergencySupersedesARunningRotationWhichRollsBackFirst() {
        UUID planned = start("orch-supersede", "MANUAL", "alice", "operator");
        Flow.reply(flow.await(planned, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        StepRequested update = flow.await(planned, UPDATE_SECRET, FORWARD, 1);

        UUID emergency = start("orch-supersede", "EMERGENCY", "ruth", "responder");
        Api.get(emergency).then().body("state", equalTo("WAITING"));
        Api.get(planned).then().body("state", equalTo("COMPENSATING"));
        // A second emergency meanwhile is refused: one is already on its way.
        given("sam", "responder").body("{\"secretId\":\"orch-supersede\",\"trigger\":\"EMERGENCY\"}")
                .post("/api/rotations").then().statusCode(409)
                .body("detail", containsString("an emergency rotation of 'orch-supersede' is already active"));

        Flow.reply(update.succeeded(1, 2, "late"));
        Flow.reply(flow.await(planned, UPDATE_SECRET, COMPENSATE, 1).compensated("restored"));
        Flow.reply(flow.await(planned, STAGE_SECRET, COMPENSATE, 1).compensated("discarded"));
        Api.awaitState(planned, "ROLLED_BACK");
        Api.get(planned).then().body("error", equalTo("superseded by emergency rotation " + emergency));

        Flow.reply(flow.await(emergency, STAGE_SECRET, FORWARD, 1).succeeded(1, 3, "staged"));
        Flow.reply(flow.await(emergency, UPDATE_SECRET, FORWARD, 1).succeeded(1, 3, "updated"));
        Api.awaitState(emergency, "COMPLETED");
        assertThat(flow.commandOrder(emergency)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD");
        assertThat(flow.milestones(planned, "rotation-rolled-back")).containsExactly("rotation-requested",
                "secret-staged", "compensation-started", "rotation-rolled-back");
    }

    private static UUID start(String secretId, String trigger, String subject, String... roles) {
        String id = given(subject, roles)
                .body("{\"secretId\":\"" + secretId + "\",\"trigger\":\"" + trigger + "\",\"reason\":\"test\"}")
                .post("/api/rotations").then().statusCode(202).extract().path("id");
        return UUID.fromString(id);
    }

    private static Response decide(UUID id, String decision, String subject, String role) {
        return given(subject, role).post("/api/rotations/" + id + "/" + decision);
    }

    private static Response decide(UUID id, String decision, String subject, String role, String body) {
        return given(subject, role).body(body).post("/api/rotations/" + id + "/" + decision);
    }

    private static io.restassured.specification.RequestSpecification given(String subject, String... roles) {
        return RestAssured.given().contentType(ContentType.JSON)
                .header("Authorization", TestAuth.bearerFor(subject, roles));
    }

}
