package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.CHECK_BACKUP;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code reencrypt.backup-check}: CHECK_BACKUP goes to the worker before anything is staged or drained; a failed check
 * ends the rotation with nothing touched; a responder may skip it with a reason, which the audit log keeps.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class BackupCheckFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aFailedCheckEndsTheRotationBeforeAnythingIsStagedOrDrained() {
        UUID id = Api.start("orch-backup", "MANUAL");
        StepRequested check = flow.await(id, CHECK_BACKUP, FORWARD, 1);
        assertThat(check.spec().reencrypt().backupCheck().sql()).startsWith("select last_archived_time");
        assertThat(check.spec().fromVersion()).isNull();
        String error = "backup check failed: sql check 'select last_archived_time > now() - interval '1 hour' fro...'"
                + " on datasource appdb returned null";
        Flow.reply(check.failed(false, error));

        Api.awaitState(id, "ROLLED_BACK");
        assertThat(flow.commandOrder(id)).containsExactly("CHECK_BACKUP/FORWARD");
        assertThat(DrainEndpointResource.calls("orch-backup")).isEmpty();
        assertThat(flow.milestones(id, "rotation-rolled-back")).containsExactly("rotation-requested",
                "compensation-started", "rotation-rolled-back");
        Api.get(id).then().body("error", equalTo(error)).body("fromVersion", equalTo(null));
    }

    @Test
    void aPassedCheckIsFollowedByThePlan() {
        UUID id = Api.start("orch-backup", "MANUAL");
        Flow.reply(flow.await(id, CHECK_BACKUP, FORWARD, 1).succeeded(null, null, "backup check passed"));
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        Api.abort(id).then().statusCode(202);
        Flow.reply(stage.succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, STAGE_SECRET, dev.rotor.contracts.messages.Direction.COMPENSATE, 1)
                .compensated("pending discarded"));
        Api.awaitState(id, "ROLLED_BACK");
        assertThat(flow.commandOrder(id)).startsWith("CHECK_BACKUP/FORWARD", "STAGE_SECRET/FORWARD");
    }

    @Test
    void aResponderMaySkipTheCheckWithAReasonThatIsAudited() throws Exception {
        String body = "{\"secretId\":\"orch-backup-override\",\"reason\":\"quarterly\","
                + "\"backupCheckOverride\":\"pgbackrest is down; snapshot taken by hand, INC-42\"}";
        Api.given("operator").contentType(ContentType.JSON).body(body).post("/api/rotations").then()
                .statusCode(403).contentType("application/problem+json");
        String created = Api.given("responder").contentType(ContentType.JSON).body(body).post("/api/rotations")
                .then().statusCode(202).extract().path("id");
        UUID id = UUID.fromString(created);
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD");

        String audit = Api.given("viewer").get("/api/audit?rotation=" + id).then().statusCode(200).extract()
                .asString();
        JsonNode requested = null;
        for (JsonNode e : JSON.readTree(audit)) {
            if ("rotation-requested".equals(e.get("kind").asText())) {
                requested = e;
            }
        }
        assertThat(requested).isNotNull();
        assertThat(requested.get("detail").get("backupCheckOverridden").asText())
                .isEqualTo("pgbackrest is down; snapshot taken by hand, INC-42");
        assertThat(requested.get("subject").asText()).isNotBlank();

        Api.abort(id).then().statusCode(202);
        Flow.reply(stage.succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, STAGE_SECRET, dev.rotor.contracts.messages.Direction.COMPENSATE, 1)
                .compensated("pending discarded"));
        Api.awaitState(id, "ROLLED_BACK");
    }

    @Test
    void anOverrideWithoutACheckOrWithoutAReasonIsRefusedByName() {
        Api.given("responder").contentType(ContentType.JSON)
                .body("{\"secretId\":\"orch-happy\",\"backupCheckOverride\":\"no backups here\"}")
                .post("/api/rotations").then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("backupCheckOverride: secret 'orch-happy' has no reencrypt.backup-check to"
                        + " override"));
        Api.given("responder").contentType(ContentType.JSON)
                .body("{\"secretId\":\"orch-backup\",\"backupCheckOverride\":\"  \"}")
                .post("/api/rotations").then().statusCode(400)
                .body("detail", equalTo("field 'backupCheckOverride' must be a non-empty reason of at most 500"
                        + " characters (it is recorded in the audit log)"));
    }
}
