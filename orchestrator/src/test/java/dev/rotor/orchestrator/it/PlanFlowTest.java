package dev.rotor.orchestrator.it;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.REENCRYPT;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The happy path of each plan of issues 3 and 5: the exact commands in order, the drain calls and the milestones. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(DrainEndpointResource.class)
class PlanFlowTest {
    private final Flow flow = new Flow();

    @AfterEach
    void close() {
        flow.close();
    }

    @Test
    void offlineReencryptDrainsReencryptsUpdatesAndRestores() {
        UUID id = Api.start("orch-offline", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged version 2"));
        StepRequested reencrypt = flow.await(id, REENCRYPT, FORWARD, 1);
        // The app entered maintenance before the rows were touched, and has not left it yet.
        assertThat(DrainEndpointResource.calls("orch-offline")).containsExactly("enter");
        DrainEndpointResource.Call enter = DrainEndpointResource.fullCalls("orch-offline").get(0);
        assertThat(enter.method()).isEqualTo("POST");
        assertThat(enter.body()).contains("\"rotationId\": \"" + id + "\"");
        assertThat(reencrypt.spec().fromVersion()).isEqualTo(1);
        assertThat(reencrypt.spec().toVersion()).isEqualTo(2);
        assertThat(reencrypt.spec().reencrypt().datasource()).isEqualTo("appdb");
        Flow.reply(reencrypt.succeeded(1, 2, "re-encrypted 10000 rows in 1 column"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).isTrue();
        Flow.reply(update.succeeded(1, 2, "version 2 is current"));

        Api.awaitState(id, "COMPLETED");
        assertThat(DrainEndpointResource.calls("orch-offline")).containsExactly("enter", "leave");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "REENCRYPT/FORWARD",
                "UPDATE_SECRET/FORWARD");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested", "secret-staged",
                "traffic-drained", "reencrypted", "secret-updated", "traffic-restored", "rotation-completed");
        assertThat(flow.events(id)).filteredOn(Reencrypted.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((Reencrypted) e).rows()).isEqualTo(10000));
        Api.get(id).then().body("steps.step", equalTo(List.of("STAGE_SECRET", "DRAIN_TRAFFIC", "REENCRYPT",
                        "UPDATE_SECRET", "RESTORE_TRAFFIC")))
                .body("steps.status", equalTo(List.of("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "SUCCEEDED",
                        "SUCCEEDED")))
                .body("steps[2].detail", equalTo("re-encrypted 10000 rows in 1 column"));
        // The old key stays as previous for the grace, then RETIRE_PREVIOUS.
        given().get("/api/secrets").then().body("find { it.id == 'orch-offline' }.previousVersion", equalTo(1))
                .body("find { it.id == 'orch-offline' }.retireAt", notNullValue());
    }

    @Test
    void onlineReencryptPublishesTheKeyringFirstThenMovesTheRows() {
        UUID id = Api.start("orch-online", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(3, 4, "staged"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).as("old key stays decrypt-only").isTrue();
        Flow.reply(update.succeeded(3, 4, "version 4 is current, 3 previous"));
        StepRequested reencrypt = flow.await(id, REENCRYPT, FORWARD, 1);
        assertThat(reencrypt.spec().reencrypt().mode()).isEqualTo("online");
        Flow.reply(reencrypt.succeeded(3, 4, "re-encrypted 42 rows"));

        Api.awaitState(id, "COMPLETED");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "UPDATE_SECRET/FORWARD",
                "REENCRYPT/FORWARD");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "reencrypted", "rotation-completed");
        given().get("/api/secrets").then().body("find { it.id == 'orch-online' }.currentVersion", equalTo(4))
                .body("find { it.id == 'orch-online' }.previousVersion", equalTo(3));
    }

    @Test
    void credentialAppliesThePasswordThenUpdatesWithoutKeepingThePrevious() {
        UUID id = Api.start("orch-cred", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(1, 2, "staged"));
        StepRequested apply = flow.await(id, APPLY_CREDENTIAL, FORWARD, 1);
        assertThat(apply.spec().credential().role()).isEqualTo("app_user");
        assertThat(apply.spec().toVersion()).isEqualTo(2);
        Flow.reply(apply.succeeded(1, 2, "version 2 is the password of role app_user"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).isFalse();
        Flow.reply(update.succeeded(1, 2, "version 2 is current"));

        Api.awaitState(id, "COMPLETED");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "APPLY_CREDENTIAL/FORWARD",
                "UPDATE_SECRET/FORWARD");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested", "secret-staged",
                "credential-applied", "secret-updated", "rotation-completed");
        given().get("/api/secrets").then().body("find { it.id == 'orch-cred' }.previousVersion", equalTo(null))
                .body("find { it.id == 'orch-cred' }.retiredVersions", equalTo(List.of(1)));
    }

    @Test
    void alternatingUsersKeepsTheOldRoleThroughTheGrace() {
        UUID id = Api.start("orch-alt", "MANUAL");
        Flow.reply(flow.await(id, STAGE_SECRET, FORWARD, 1).succeeded(5, 6, "staged"));
        StepRequested apply = flow.await(id, APPLY_CREDENTIAL, FORWARD, 1);
        assertThat(apply.spec().credential().roles()).containsExactly("app_a", "app_b");
        Flow.reply(apply.succeeded(5, 6, "version 6 is the password of role app_b"));
        StepRequested update = flow.await(id, UPDATE_SECRET, FORWARD, 1);
        assertThat(update.spec().keepPrevious()).isTrue();
        Flow.reply(update.succeeded(5, 6, "version 6 is current"));

        Api.awaitState(id, "COMPLETED");
        assertThat(flow.commandOrder(id)).containsExactly("STAGE_SECRET/FORWARD", "APPLY_CREDENTIAL/FORWARD",
                "UPDATE_SECRET/FORWARD");
        assertThat(flow.milestones(id, "rotation-completed")).containsExactly("rotation-requested", "secret-staged",
                "credential-applied", "secret-updated", "rotation-completed");
        given().get("/api/secrets").then().body("find { it.id == 'orch-alt' }.previousVersion", equalTo(5))
                .body("find { it.id == 'orch-alt' }.retireAt", notNullValue());
    }
}
