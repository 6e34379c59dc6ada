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
