package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/rotations/{id}/rollback through the real broker and database; the test answers for the workers. The
 * rollback is a rotation of its own: its commands carry undoOf and the undone rotation's versions, it shows in the
 * API, the audit log and the milestones as trigger ROLLBACK, and the undone rotation's retirement is cancelled.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RollbackFlowTest {
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    private UUID completedOffline() {
        UUID id = Api.start("orch-rollback", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged version 2"));
        Flow.reply(flow.await(id, REENCRYPT, FORWARD, 1).succeeded(1, 2, "20 rows re-encrypted in 1 column"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "version 2 is current"));
        Api.awaitState(id, "COMPLETED");
        return id;
    }

    private static io.restassured.response.Response rollback(String role, Object id) {
        return given(role).contentType(ContentType.JSON).body("{\"reason\":\"bad deploy\"}")
                .post("/api/rotations/" + id + "/rollback");
    }

    @Test
    void aResponderRollsACompletedRotationBackAsASagaOfItsOwn() {
        UUID undone = completedOffline();
        rollback("viewer", undone).then().statusCode(403).contentType("application/problem+json");
        rollback("operator", undone).then().statusCode(403);

        String location = rollback("responder", undone).then().statusCode(202).body("state", equalTo("RUNNING"))
                .extract().header("Location");
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        assertThat(id).isNotEqualTo(undone);

        StepRequested restore = flow.await(id, REENCRYPT, FORWARD, 1);
        assertThat(restore.spec().undoOf()).isEqualTo(undone);
        assertThat(restore.spec().fromVersion()).isEqualTo(1);
        assertThat(restore.spec().toVersion()).isEqualTo(2);
        assertThat(restore.spec().reencrypt().mode()).isEqualTo("atomic");
        Flow.reply(restore.succeeded(1, 2, "20 rows restored from the shadow in 3 ms; 0 rows the application"
                + " wrote since re-encrypted back"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().undoOf()).isEqualTo(undone);
        Flow.reply(update.succeeded(1, 2, "version 1 is current again, version 2 is pending"));

        Api.awaitState(id, "COMPLETED");
        assertThat(flow.commandOrder(id)).containsExactly("REENCRYPT/FORWARD", "UPDATE_SECRET/FORWARD");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested", "reencrypted",
                "secret-updated", "rotation-completed");
        assertThat(flow.events(id)).filteredOn(RotationRequested.class::isInstance).singleElement()
                .satisfies(e -> {
                    RotationRequested r = (RotationRequested) e;
                    assertThat(r.trigger()).isEqualTo(Trigger.ROLLBACK);
                    assertThat(r.strategy()).isEqualTo("rollback");
                    assertThat(r.parentId()).isEqualTo(undone);
                    assertThat(r.reason()).isEqualTo("bad deploy");
                });
        assertThat(flow.events(id)).filteredOn(RotationCompleted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((RotationCompleted) e).trigger()).isEqualTo(Trigger.ROLLBACK));
        Api.get(id).then().body("trigger", equalTo("ROLLBACK")).body("parentId", equalTo(undone.toString()))
                .body("steps.step", equalTo(List.of("REENCRYPT", "UPDATE_SECRET")));
        Api.get(undone).then().body("children.id", equalTo(List.of(id.toString())));
        assertThat(given().header("Accept", "text/markdown").get("/api/rotations/" + id + "/report").then()
                .statusCode(200).extract().asString()).contains("- **Rolls back:** rotation " + undone)
                .contains("ROLLBACK");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !given().get("/api/audit?rotation=" + id)
                .then().extract().path("findAll { it.kind == 'rotation-requested' }").toString().equals("[]"));
        given().get("/api/audit?rotation=" + id).then()
                .body("find { it.kind == 'rotation-requested' }.subject", equalTo("test-responder"))
                .body("find { it.kind == 'rotation-requested' }.detail.rollbackOf", equalTo(undone.toString()))
                .body("find { it.kind == 'rotation-requested' }.detail.trigger", equalTo("ROLLBACK"));
        // The version that is current again does not retire at the end of the undone rotation's grace.
        given().get("/api/secrets").then().body("find { it.id == 'orch-rollback' }.retireAt", equalTo(null))
                .body("find { it.id == 'orch-rollback' }.currentVersion", equalTo(1))
                .body("find { it.id == 'orch-rollback' }.previousVersion", equalTo(null));

        rollback("responder", undone).then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("rotation " + undone + " is already rolled back (rollback " + id
                        + ", COMPLETED)"));
        rollback("responder", id).then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("rotation " + id + " is itself a rollback"));
        // Nor can a responder force it: version 1 is current again.
        given("responder").post("/api/rotations/" + undone + "/retire").then().statusCode(409)
                .contentType("application/problem+json").body("type", containsString("nothing-to-retire"))
                .body("detail", equalTo("rotation " + undone + " was rolled back (rollback " + id
                        + ", COMPLETED): version 1 is current again and is not retired"));
        given().get("/api/secrets").then().body("find { it.id == 'orch-rollback' }.currentVersion", equalTo(1));
    }

    @Test
    void refusalsNameTheirReason() {
        rollback("responder", UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        rollback("responder", "not-a-uuid").then().statusCode(400);

        UUID immediate = Api.start("orch-rollback-immediate", "MANUAL"); // an entry of its own: tests count rotations by entry
        Flow.reply(flow.await(immediate, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(immediate, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "version 2 is current"));
        Api.awaitState(immediate, "COMPLETED");
        rollback("responder", immediate).then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("rotation " + immediate + " (plan immediate) kept no previous version to go"
                        + " back to"));

        UUID running = Api.start("orch-rollback", "MANUAL");
        flow.await(running, STAGE_SECRET, FORWARD, 1);
        rollback("responder", running).then().statusCode(409)
                .body("detail", equalTo("rotation " + running + " is RUNNING; only a COMPLETED rotation can be"
                        + " rolled back"));
        Api.abort(running).then().statusCode(202);
        Flow.reply(flow.await(running, STAGE_SECRET, dev.rotor.contracts.messages.Direction.COMPENSATE, 1)
                .compensated("nothing staged"));
        Api.awaitState(running, "ROLLED_BACK");

        UUID retired = completedOffline();
        given().post("/api/rotations/" + retired + "/retire").then().statusCode(202);
        rollback("responder", retired).then().statusCode(409)
                .body("detail", equalTo("the previous version 1 of rotation " + retired + " is retired or retiring:"
                        + " past its retention, it cannot be rolled back"));
    }
}
