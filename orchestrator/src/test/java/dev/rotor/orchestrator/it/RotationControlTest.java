package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.rotor.contracts.messages.Reencrypted;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Heartbeats and progress, abort, dry run, and retention in the API. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class RotationControlTest {
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void progressReportsKeepALongReencryptAlivePastItsTimeoutAndShowInTheApi() throws InterruptedException {
        UUID id = Api.start("orch-heartbeat", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        StepRequested reencrypt = flow.await(id, REENCRYPT, FORWARD, 1);
        // The test profile's long-step timeout is 6 s; the job runs 13 s, reporting every second.
        Instant end = Instant.now().plusSeconds(13);
        long done = 0;
        while (Instant.now().isBefore(end)) {
            done += 700;
            Flow.reply(reencrypt.progress(done, 10_000, 700.0, (10_000 - done) / 700));
            Thread.sleep(1000);
        }
        long lastDone = done;
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Api.get(id).then().extract()
                .<Integer>path("progress.done") == (int) lastDone);
        Api.get(id).then().body("state", equalTo("RUNNING")).body("progress.step", equalTo("REENCRYPT"))
                .body("progress.total", equalTo(10_000)).body("progress.rowsPerSecond", equalTo(700.0f))
                .body("progress.updatedAt", notNullValue());
        Flow.reply(reencrypt.succeeded(1, 2, "done"));

        Api.awaitState(id, "COMPLETED");
        assertThat(flow.commandOrder(id)).as("no second attempt").containsExactly("STAGE_SECRET/FORWARD",
                "UPDATE_SECRET/FORWARD", "REENCRYPT/FORWARD");
        Api.get(id).then().body("steps.attempts", equalTo(List.of(1, 1, 1)));
        flow.milestones(id, "rotation-completed");
        assertThat(flow.events(id)).filteredOn(Reencrypted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Reencrypted) e).rows()).as("from the last progress").isEqualTo(lastDone));
    }

    @Test
    void abortCompensatesARunningRotation() {
        UUID id = Api.start("orch-abort", "MANUAL");
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        Api.abort(id).then().statusCode(202).body("state", equalTo("COMPENSATING"));
        StepRequested undo = flow.await(id, STAGE_SECRET, COMPENSATE, 1);
        Flow.reply(stage.succeeded(1, 2, "staged late"));
        Flow.reply(undo.compensated("pending discarded"));

        Api.awaitState(id, "ROLLED_BACK");
        Api.get(id).then().body("error", equalTo("aborted by request")).body("toVersion", equalTo(null));
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "STAGE_SECRET/COMPENSATE");
        assertThat(flow.milestones(id, "rotation-rolled-back")).containsExactly("rotation-requested",
                "compensation-started", "rotation-rolled-back");
        Api.abort(id).then().statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("already ROLLED_BACK"));
        Api.abort(UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aDryRunStagesRehearsesAndDiscardsWithoutDrainOrMilestones() {
        UUID id = Api.startDryRun("orch-dry");
        StepRequested stage = flow.await(id, STAGE_SECRET, FORWARD, 1);
        assertThat(stage.spec().dryRun()).isTrue();
        Flow.reply(stage.succeeded(1, 2, "staged"));
        StepRequested rehearse = flow.await(id, REENCRYPT, FORWARD, 1);
        assertThat(rehearse.spec().dryRun()).isTrue();
        assertThat(rehearse.spec().fromVersion()).isEqualTo(1);
        assertThat(rehearse.spec().toVersion()).isEqualTo(2);
        String report = "dry run: 10000 rows would be re-encrypted, 0 undecryptable, eta 4s";
        Flow.reply(rehearse.succeeded(1, 2, report));
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));

        Api.awaitState(id, "COMPLETED");
        Api.get(id).then().body("dryRun", equalTo(true)).body("result", equalTo(report));
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "REENCRYPT/FORWARD",
                "STAGE_SECRET/COMPENSATE");
        assertThat(DrainEndpointResource.calls("orch-dry")).isEmpty();
        assertThat(flow.events(id)).as("a dry run announces nothing").isEmpty();
        given().get("/api/secrets").then().body("find { it.id == 'orch-dry' }.currentVersion", equalTo(null));
    }

    @Test
    void versionsShowCreationPromotionAndRetirementFromTheHistory() {
        UUID first = Api.start("orch-versions", "MANUAL");
        Flow.reply(flow.await(first, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(first, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Api.awaitState(first, "COMPLETED");
        // A newer rotation retires version 1 at once, then makes 3 current with 2 as previous.
        UUID second = Api.start("orch-versions", "MANUAL");
        Flow.reply(flow.await(first, RETIRE_PREVIOUS, FORWARD, 1).succeeded(1, 2, "retired version 1"));
        Flow.reply(flow.await(second, STAGE_SECRET, FORWARD, 1).succeeded(2, 3, "staged"));
        Flow.reply(flow.await(second, UPDATE_SECRET, FORWARD, 1).succeeded(2, 3, "updated"));
        Api.awaitState(second, "COMPLETED");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "retired".equals(given()
                .get("/api/secrets/orch-versions/versions").then().extract().path("find { it.version == 1 }.label")));

        given().get("/api/secrets/orch-versions/versions").then().statusCode(200)
                .body("version", equalTo(List.of(1, 2, 3)))
                .body("label", equalTo(List.of("retired", "previous", "current")))
                .body("[0].createdAt", equalTo(null)).body("[0].retiredAt", notNullValue())
                .body("[1].createdAt", notNullValue()).body("[1].promotedAt", notNullValue())
                .body("[1].retiredAt", equalTo(null))
                .body("[2].promotedAt", notNullValue());
        given().get("/api/secrets").then()
                .body("find { it.id == 'orch-versions' }.currentVersion", equalTo(3))
                .body("find { it.id == 'orch-versions' }.previousVersion", equalTo(2))
                .body("find { it.id == 'orch-versions' }.retireAt", notNullValue())
                .body("find { it.id == 'orch-versions' }.retiredVersions", equalTo(List.of(1)));
        given().get("/api/secrets/no-such-secret/versions").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aRetirementThatFailsForGoodLeavesTheRotationCompletedWithTheErrorVisible() {
        UUID id = Api.start("orch-retire-fail", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).succeeded(1, 2, "updated"));
        Flow.reply(flow.await(id, RETIRE_PREVIOUS, FORWARD, 1).failed(false, "store is read-only"));

        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Api.get(id).then().extract()
                .path("retirementError") != null);
        Api.get(id).then().body("state", equalTo("COMPLETED")).body("error", equalTo(null))
                .body("retirementError", containsString("store is read-only"));
        given().get("/api/secrets").then()
                .body("find { it.id == 'orch-retire-fail' }.previousVersion", equalTo(1))
                .body("find { it.id == 'orch-retire-fail' }.retirementError", containsString("store is read-only"));
    }
}
