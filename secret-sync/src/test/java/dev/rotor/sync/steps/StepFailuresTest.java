package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.APPLY_CREDENTIAL;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageTypes;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.SigningKeys;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.SigningKeysResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import dev.rotor.local.auth.TestAuth;
import io.restassured.RestAssured;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refusals and malformed input: clear StepFailed answers, the DLQ, and a consumer that keeps going. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TempHomeResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class StepFailuresTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    private static final String DLQ = Topics.dlq("secret-sync");
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
        Scrape before = new Scrape(management);
        double deadBefore = before.deadLettered(DLQ);
        double stagedBefore = before.executions("jwt-secret", STAGE_SECRET, FORWARD, "succeeded");
        String key = "malformed-" + System.nanoTime();
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.STEP_COMMANDS, key,
                "{not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers().add(CloudEvents.TYPE, MessageTypes.typeOf(StepRequested.class).getBytes(StandardCharsets.UTF_8));
        garbage.headers().add(CloudEvents.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
        SigningKeysResource.commandSigner().sign(garbage.headers(), garbage.value()); // so it is the JSON refused
        results.send(garbage);
        StepCommands s = new StepCommands(results, Files.writeString(dir.resolve(".env"), "JWT_SECRET=x\n"), "local");

        var dead = dlq.awaitRecord(r -> key.equals(r.key()));
        assertThat(KafkaEnvelope.header(dead.headers(), CloudEvents.DLQ_REASON)).contains("is not JSON");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true))).isInstanceOf(StepSucceeded.class);
        // Counted once each, after the broker took the copy or the reply (which may be just after we saw it).
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Scrape after = new Scrape(management);
            assertThat(after.deadLettered(DLQ)).isEqualTo(deadBefore + 1);
            assertThat(after.executions("jwt-secret", STAGE_SECRET, FORWARD, "succeeded")).isEqualTo(stagedBefore + 1);
        });
    }

    @Test
    void unsignedForgedOrTamperedCommandsAreDeadLetteredAndChangeNothingWhileTheGenuineOneIsHandled()
            throws Exception {
        Path env = Files.writeString(dir.resolve(".env"), "JWT_SECRET=original\n");
        Path attacker = dir.resolve("attacker.env");
        StepCommands s = new StepCommands(results, env, "local");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true))).isInstanceOf(StepSucceeded.class);
        List<String> labels = s.labels();
        String envBefore = Files.readString(env);

        StepRequested update = s.command(UPDATE_SECRET, FORWARD, 1, 1, 2, true);
        ProducerRecord<String, byte[]> genuine = StepCommands.signed(update);
        byte[] retargeted = new String(genuine.value(), StandardCharsets.UTF_8)
                .replace(env.toString(), attacker.toString()).getBytes(StandardCharsets.UTF_8);
        Headers unsigned = KafkaEnvelope.headers(update, UUID.randomUUID(), StepCommands.SOURCE, Instant.now());
        Headers otherKey = KafkaEnvelope.headers(update, UUID.randomUUID(), StepCommands.SOURCE, Instant.now());
        MessageSigner.of(SigningKeys.generate().getPrivate()).sign(otherKey, retargeted);
        String key = s.rotation.toString();
        // An unsigned command for the re-encryption worker's step is passed over unread: the worker owns it and
        // dead-letters it. Were it read here, it would be the first record of the dead-letter queue.
        results.send(KafkaEnvelope.record(Topics.STEP_COMMANDS, new StepRequested(update.rotationId(),
                dev.rotor.contracts.messages.Step.REENCRYPT, 1, FORWARD, update.spec(), Instant.now()),
                StepCommands.SOURCE));
        results.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, key, retargeted, unsigned));
        results.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, key, retargeted, otherKey));
        results.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, key, retargeted, genuine.headers()));

        List<String> reasons = dlq.awaitRecords(r -> key.equals(r.key()), 3).stream()
                .map(r -> KafkaEnvelope.header(r.headers(), CloudEvents.DLQ_REASON)).toList();
        assertThat(reasons).satisfiesExactly(r -> assertThat(r).startsWith("unsigned: "),
                r -> assertThat(r).startsWith("unknown key: "), r -> assertThat(r).startsWith("bad signature: "));
        assertThat(attacker).doesNotExist();
        assertThat(Files.readString(env)).isEqualTo(envBefore);
        assertThat(s.labels()).isEqualTo(labels);
        assertThat(s.replies(update)).isEmpty();

        results.send(genuine);
        assertThat(s.await(update, 1)).singleElement().isInstanceOf(StepSucceeded.class);
        assertThat(Files.readString(env)).isNotEqualTo(envBefore).startsWith("JWT_SECRET=");
        assertThat(s.labels()).isNotEqualTo(labels);
        assertThat(attacker).doesNotExist();
    }

    @Test
    void readinessReportsTheLocalStore() {
        RestAssured.get(management.resolve("/q/health/ready")).then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.find { it.name == 'local-store' }.status", org.hamcrest.Matchers.equalTo("UP"));
    }

    @Test
    void anUnsupportedStoreIsRefusedWithoutRetry() throws Exception {
        double failedBefore = new Scrape(management).executions("jwt-secret", STAGE_SECRET, FORWARD, "failed");
        StepCommands s = new StepCommands(results, Files.writeString(dir.resolve(".env"), "JWT_SECRET=x\n"), "vault");
        assertThat(s.run(s.command(STAGE_SECRET, FORWARD, 1, null, null, true)))
                .isInstanceOfSatisfying(StepFailed.class, f -> {
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.error()).isEqualTo(
                            "store type 'vault' needs rotor.sync.vault.address (env ROTOR_SYNC_VAULT_ADDRESS)");
                });
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                new Scrape(management).executions("jwt-secret", STAGE_SECRET, FORWARD, "failed")).isEqualTo(failedBefore + 1));
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
