package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.PreviousRetired;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Whole sagas through the real broker and PostgreSQL, with the test acting as secret-sync. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RotationFlowTest {
    private KafkaProbe commands;
    private KafkaProbe events;

    @BeforeEach
    void probes() {
        commands = KafkaProbe.on(Topics.STEP_COMMANDS);
        events = KafkaProbe.on(Topics.ROTATIONS);
    }

    @AfterEach
    void close() {
        commands.close();
        events.close();
    }

    private StepRequested awaitCommand(UUID id, Step step, Direction direction, int attempt) {
        return commands.await(id.toString(), rs -> KafkaProbe.messages(rs).stream().anyMatch(m -> matches(m, step,
                        direction, attempt)))
                .stream().map(KafkaProbe::read).filter(m -> matches(m, step, direction, attempt))
                .map(StepRequested.class::cast).findFirst().orElseThrow();
    }

    private static boolean matches(RotorMessage m, Step step, Direction direction, int attempt) {
        return m instanceof StepRequested c && c.step() == step && c.direction() == direction
                && c.attempt() == attempt;
    }

    private List<ConsumerRecord<String, byte[]>> awaitEvents(UUID id, String lastType) {
        return events.await(id.toString(), rs -> rs.stream()
                .anyMatch(r -> lastType.equals(KafkaProbe.header(r, CloudEvents.TYPE))));
    }

    private static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> KafkaProbe.header(r, CloudEvents.TYPE)).toList();
    }

    private static String type(String name) {
        return "dev.rotor." + name + ".v1";
    }

    @Test
    void dualKeyRotationCompletesAndPublishesOrderedMilestones() {
        UUID id = Api.start("orch-happy", "MANUAL");
        StepRequested stage = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        assertThat(stage.spec().secretId()).isEqualTo("orch-happy");
        assertThat(stage.spec().strategy()).isEqualTo(Strategy.DUAL_KEY);
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(1, 2, "staged"));

        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).isTrue();
        assertThat(update.spec().fromVersion()).isEqualTo(1);
        assertThat(update.spec().toVersion()).isEqualTo(2);
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(1, 2, "updated"));

        Api.awaitState(id, "COMPLETED");
        Api.get(id).then().body("secretId", equalTo("orch-happy")).body("strategy", equalTo("dual-key"))
                .body("trigger", equalTo("MANUAL")).body("fromVersion", equalTo(1)).body("toVersion", equalTo(2))
                .body("steps.step", equalTo(List.of("STAGE_SECRET", "UPDATE_SECRET")))
                .body("steps.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED")))
                .body("steps.attempts", equalTo(List.of(1, 1)));

        List<ConsumerRecord<String, byte[]>> published = awaitEvents(id, type("rotation-completed"));
        assertThat(types(published)).containsExactly(type("rotation-requested"), type("secret-staged"),
                type("secret-updated"), type("rotation-completed"));
        assertThat(published).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(id.toString());
            assertThat(KafkaProbe.header(r, CloudEvents.SUBJECT)).isEqualTo(id.toString());
            assertThat(KafkaProbe.header(r, CloudEvents.SOURCE)).isEqualTo("/rotor/orchestrator");
            assertThat(KafkaProbe.header(r, CloudEvents.SPEC_VERSION)).isEqualTo("1.0");
        });
        assertThat(commands.poll(id.toString())).hasSize(2);

        // The retirement waits for the entry's 1h grace, visible on /api/secrets.
        given().get("/api/secrets").then().statusCode(200)
                .body("find { it.id == 'orch-happy' }.currentVersion", equalTo(2))
                .body("find { it.id == 'orch-happy' }.previousVersion", equalTo(1))
                .body("find { it.id == 'orch-happy' }.strategy", equalTo("dual-key"));

        // A newer rotation of the secret retires the version still in grace at once.
        UUID next = Api.start("orch-happy", "MANUAL");
        StepRequested retire = awaitCommand(id, RETIRE_PREVIOUS, FORWARD, 1);
        assertThat(retire.spec().fromVersion()).isEqualTo(1);
        awaitCommand(next, STAGE_SECRET, FORWARD, 1);
    }

    @Test
    void aDuplicatedReplyChangesNothing() {
        UUID id = Api.start("orch-dup", "MANUAL");
        StepRequested stage = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(1, 2, "staged"));
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(1, 2, "staged"));
        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(1, 2, "updated"));
        KafkaProbe.send(Topics.STEP_RESULTS, stage.failed(false, "late and stale"));
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(1, 2, "updated"));

        Api.awaitState(id, "COMPLETED");
        assertThat(types(awaitEvents(id, type("rotation-completed")))).containsExactly(type("rotation-requested"),
                type("secret-staged"), type("secret-updated"), type("rotation-completed"));
        assertThat(KafkaProbe.messages(commands.poll(id.toString()))).hasSize(2);
        Api.get(id).then().body("steps.attempts", equalTo(List.of(1, 1)));
    }

    @Test
    void aFailingUpdateIsCompensatedInReverseAndRolledBack() {
        UUID id = Api.start("orch-fail", "MANUAL");
        StepRequested stage = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(4, 5, "staged"));
        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, update.failed(false, "target file is read-only"));

        StepRequested undoUpdate = awaitCommand(id, UPDATE_SECRET, COMPENSATE, 1);
        assertThat(undoUpdate.spec().fromVersion()).isEqualTo(4);
        assertThat(undoUpdate.spec().toVersion()).isEqualTo(5);
        KafkaProbe.send(Topics.STEP_RESULTS, undoUpdate.compensated("labels restored"));
        StepRequested undoStage = awaitCommand(id, STAGE_SECRET, COMPENSATE, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, undoStage.compensated("pending discarded"));

        Api.awaitState(id, "ROLLED_BACK");
        Api.get(id).then().body("error", equalTo("target file is read-only"));
        List<String> order = KafkaProbe.messages(commands.poll(id.toString())).stream()
                .map(m -> ((StepRequested) m).step() + "/" + ((StepRequested) m).direction()).toList();
        assertThat(order).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD",
                "UPDATE_SECRET/COMPENSATE", "STAGE_SECRET/COMPENSATE");
        assertThat(types(awaitEvents(id, type("rotation-rolled-back")))).containsExactly(
                type("rotation-requested"), type("secret-staged"), type("compensation-started"),
                type("rotation-rolled-back"));
    }

    @Test
    void afterTheGraceTheDeferredRetirementRunsAndPreviousRetiredIsPublished() {
        UUID id = Api.start("orch-grace", "MANUAL");
        StepRequested stage = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(7, 8, "staged"));
        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(7, 8, "updated"));
        Api.awaitState(id, "COMPLETED");

        StepRequested retire = awaitCommand(id, RETIRE_PREVIOUS, FORWARD, 1);
        assertThat(retire.spec().fromVersion()).isEqualTo(7);
        KafkaProbe.send(Topics.STEP_RESULTS, retire.succeeded(7, null, "retired"));
        List<ConsumerRecord<String, byte[]>> published = awaitEvents(id, type("previous-retired"));
        assertThat(types(published)).endsWith(type("rotation-completed"), type("previous-retired"));
        assertThat(((PreviousRetired) KafkaProbe.read(published.get(published.size() - 1))).version()).isEqualTo(7);
        Api.get(id).then().body("state", equalTo("COMPLETED"))
                .body("steps.step", equalTo(List.of("STAGE_SECRET", "UPDATE_SECRET", "RETIRE_PREVIOUS")))
                .body("steps.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED")));
    }

    @Test
    void anEmergencyOfASigningKeyUsesTheImmediatePlan() {
        UUID id = Api.start("orch-emergency", "EMERGENCY");
        StepRequested stage = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        assertThat(stage.spec().strategy()).isEqualTo(Strategy.IMMEDIATE);
        KafkaProbe.send(Topics.STEP_RESULTS, stage.succeeded(1, 2, "staged"));
        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).isFalse();
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(1, 2, "updated"));
        Api.awaitState(id, "COMPLETED");
        Api.get(id).then().body("strategy", equalTo("immediate")).body("trigger", equalTo("EMERGENCY"));
        given().get("/api/secrets").then()
                .body("find { it.id == 'orch-emergency' }.previousVersion", equalTo(null));
    }

    @Test
    void aRetryableFailureIsRetriedWithTheNextAttempt() {
        UUID id = Api.start("orch-retry", "MANUAL");
        StepRequested first = awaitCommand(id, STAGE_SECRET, FORWARD, 1);
        KafkaProbe.send(Topics.STEP_RESULTS, first.failed(true, "store busy"));
        StepRequested second = awaitCommand(id, STAGE_SECRET, FORWARD, 2);
        KafkaProbe.send(Topics.STEP_RESULTS, second.succeeded(null, 1, "staged"));
        StepRequested update = awaitCommand(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().fromVersion()).isNull();
        KafkaProbe.send(Topics.STEP_RESULTS, update.succeeded(null, 1, "updated"));
        Api.awaitState(id, "COMPLETED");
        Api.get(id).then().body("steps.attempts", equalTo(List.of(2, 1)));
    }
}
