package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The failure paths of offline-reencrypt: traffic is restored on every rollback, and a failed drain stops the rest. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class DrainFlowTest {
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void aFailingUpdateIsUndoneInReverseAndTrafficIsRestoredBeforeTheStagedVersionIsDiscarded() {
        UUID id = Api.start("orch-offline-fail", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, REENCRYPT, FORWARD, 1).succeeded(1, 2, "re-encrypted 10 rows"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).failed(false, "target file is read-only"));

        Flow.reply(flow.await(id, UPDATE_SECRET, COMPENSATE, 1).compensated("labels restored"));
        StepRequested undoReencrypt = flow.await(id, REENCRYPT, COMPENSATE, 1);
        assertThat(undoReencrypt.spec().fromVersion()).isEqualTo(1);
        assertThat(undoReencrypt.spec().toVersion()).isEqualTo(2);
        // Still in maintenance while the rows go back.
        assertThat(DrainEndpointResource.calls("orch-offline-fail")).containsExactly("enter");
        Flow.reply(undoReencrypt.compensated("rows back under version 1"));
        StepRequested undoStage = flow.await(id, STAGE_SECRET, COMPENSATE, 1);
        assertThat(DrainEndpointResource.calls("orch-offline-fail")).as("restored before the discard")
                .containsExactly("enter", "leave");
        Flow.reply(undoStage.compensated("pending discarded"));

        Api.awaitState(id, "ROLLED_BACK");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "REENCRYPT/FORWARD",
                "UPDATE_SECRET/FORWARD", "UPDATE_SECRET/COMPENSATE", "REENCRYPT/COMPENSATE",
                "STAGE_SECRET/COMPENSATE");
        assertThat(DrainEndpointResource.calls("orch-offline-fail")).containsExactly("enter", "leave");
        assertThat(flow.milestones(id, "rotation-rolled-back")).containsExactly("rotation-requested",
                "secret-staged", "traffic-drained", "reencrypted", "compensation-started", "rotation-rolled-back");
        Api.get(id).then().body("error", equalTo("target file is read-only"))
                .body("steps.findAll { it.direction == 'COMPENSATE' }.step",
                        equalTo(java.util.List.of("UPDATE_SECRET", "REENCRYPT", "DRAIN_TRAFFIC", "STAGE_SECRET")));
    }

    @Test
    void aFailedCompensationEndsFailedInMaintenanceWithTheManualStepsAndWhatIsAffected() {
        UUID id = Api.start("orch-offline-stuck", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        StepRequested reencrypt = flow.await(id, REENCRYPT, FORWARD, 1);
        Flow.reply(reencrypt.progress(500, 500, 250.0, 0L));
        Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> Api.get(id).then().extract().path("progress") != null);
        Flow.reply(reencrypt.succeeded(1, 2, "re-encrypted 500 rows"));
        Flow.reply(flow.await(id, UPDATE_SECRET, FORWARD, 1).failed(false, "target file is read-only"));
        Flow.reply(flow.await(id, UPDATE_SECRET, COMPENSATE, 1).failed(false, "store unreachable"));

        Api.awaitState(id, "FAILED");
        // The app stays in maintenance: rows and key may disagree until on-call has finished.
        assertThat(DrainEndpointResource.calls("orch-offline-stuck")).containsExactly("enter");
        Api.get(id).then().body("error", containsString("store unreachable"))
                .body("manualSteps[1]", containsString("make version 1 of orch-offline-stuck current again"))
                .body("manualSteps.find { it.contains('Re-encrypt') }", containsString("500 of 500 rows"))
                .body("manualSteps.find { it.contains('maintenance') }", containsString("/drain/orch-offline-stuck"))
                .body("manualSteps.find { it.contains('discard pending version 2') }", org.hamcrest.Matchers
                        .notNullValue())
                .body("affected.fromVersion", equalTo(1)).body("affected.toVersion", equalTo(2))
                .body("affected.datasource", equalTo("appdb"))
                .body("affected.columns", equalTo(java.util.List.of("credentials.value_ciphertext")))
                .body("affected.rowsDone", equalTo(500));
        assertThat(flow.milestones(id, "rotation-failed")).endsWith("compensation-started", "rotation-failed");
    }

    @Test
    void aDrainThatKeepsFailingIsRetriedThenRolledBackWithoutTouchingTheRows() {
        DrainEndpointResource.answerEnter("orch-drain-fail", 500, 500, 500);
        UUID id = Api.start("orch-drain-fail", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));

        Api.awaitState(id, "ROLLED_BACK");
        // Three attempts to enter, then the compensation leaves maintenance (harmless if never entered).
        assertThat(DrainEndpointResource.calls("orch-drain-fail")).containsExactly("enter", "enter", "enter",
                "leave");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "STAGE_SECRET/COMPENSATE");
        Api.get(id).then().body("error", containsString("answered 500"))
                .body("steps.find { it.step == 'DRAIN_TRAFFIC' && it.direction == 'FORWARD' }.attempts", equalTo(3));
        assertThat(flow.milestones(id, "rotation-rolled-back")).doesNotContain("reencrypted", "traffic-drained");
    }

    @Test
    void aDrainRefusedWith4xxIsNotRetried() {
        DrainEndpointResource.answerEnter("orch-drain-refused", 403);
        UUID id = Api.start("orch-drain-refused", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        Flow.reply(flow.await(id, STAGE_SECRET, COMPENSATE, 1).compensated("pending discarded"));
        Api.awaitState(id, "ROLLED_BACK");
        assertThat(DrainEndpointResource.calls("orch-drain-refused")).containsExactly("enter", "leave");
        Api.get(id).then().body("error", containsString("answered 403"));
        Awaitility.await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> DrainEndpointResource.calls("orch-drain-refused").size() == 2);
    }
}
