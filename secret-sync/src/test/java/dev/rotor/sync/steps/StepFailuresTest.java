package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import dev.rotor.local.auth.TestAuth;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals and malformed input: clear StepFailed answers, the DLQ, and a consumer that keeps going. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TempHomeResource.class)
class StepFailuresTest {
    static KafkaTestClient results;
    static KafkaTestClient dlq;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        results = new KafkaTestClient(KafkaResource.clientConfig(), Topics.STEP_RESULTS);
        dlq = new KafkaTestClient(KafkaResource.clientConfig(), Topics.dlq("secret-sync"));
    }

    @AfterAll
    static void disconnect() {
        results.close();
        dlq.close();
    }

    @Test
    void aMalformedRecordGoesToTheDlqAndTheNextCommandIsStillHandled() throws Exception {
        String key = "malformed-" + System.nanoTime();
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.STEP_COMMANDS, key,
                "{not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers().add(CloudEvents.TYPE, MessageTypes.typeOf(StepRequested.class).getBytes(StandardCharsets.UTF_8));
        results.send(garbage);
        StepCommands s = new StepCommands(results, Files.writeString(dir.resolve(".env"), "JWT_SECRET=x\n"), "local");

        var dead = dlq.awaitRecord(r -> key.equals(r.key()));
        assertThat(KafkaEnvelope.header(dead.headers(), CloudEvents.DLQ_REASON)).contains("is not JSON");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true))).isInstanceOf(StepSucceeded.class);
    }

    @Test
    void readinessReportsTheLocalStore() {
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'local-store' }.status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    void anUnsupportedStoreIsRefusedWithoutRetry() throws Exception {
        StepCommands s = new StepCommands(results, Files.writeString(dir.resolve(".env"), "JWT_SECRET=x\n"), "vault");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true)))
                .isInstanceOfSatisfying(StepFailed.class, f -> {
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.error()).isEqualTo(
                            "store type 'vault' needs rotor.sync.vault.address (env ROTOR_SYNC_VAULT_ADDRESS)");
                });
    }

    @Test
    void applyCredentialWithoutACredentialSectionIsRefused() throws Exception {
        StepCommands s = new StepCommands(results, dir.resolve(".env"), "local");
        assertThat(s.run(s.command(APPLY_CREDENTIAL, FORWARD, 1, 1, 2, true)))
                .isInstanceOfSatisfying(StepFailed.class, f -> {
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.error()).isEqualTo("secret jwt-secret has no credential.datasource");
                });
    }

    @Test
    void aMissingEnvFileIsNamedInTheFailure() throws Exception {
        Path missing = dir.resolve("missing.env");
        StepCommands s = new StepCommands(results, missing, "local");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true)))
                .isInstanceOfSatisfying(StepFailed.class, f -> assertThat(f.error()).contains(missing.toString()));
        RestAssured.given().header("Authorization", TestAuth.bearer("service"))
                .get("/api/store/" + s.storePath + "/versions").then().statusCode(404);
    }
}
