package dev.rotor.reencrypt.command;

import static dev.rotor.local.PrometheusSamples.value;
import static dev.rotor.local.PrometheusSamples.valueOrZero;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.OpenApiCheck;
import dev.rotor.local.auth.RoleMatrix;
import dev.rotor.local.SigningKeysResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
// The same resources as ReencryptStepTest: one application start (and one in-process broker) for both classes.
@QuarkusTestResource(WorkerTestResource.class)
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.WORKER))
class StepCommandConsumerTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final MessageSigner SIGNER = SigningKeysResource.commandSigner();

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndSwaggerUiIsServed() {
        // No /api endpoint here: the document says so (no paths), and still carries the shared Problem schema.
        assertThat(OpenApiCheck.check(management, RoleMatrix.scan(java.nio.file.Path.of("target/classes")))).isEmpty();
    }

    @Test
    void reportsReadyFromItsChannelsAndNamesNoBroker() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(
                given().get(management.resolve("/q/health/ready")).then().statusCode(200)
                        .body("status", is("UP"))
                        .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                        .extract().asString())
                // Open to probes, so it names no broker address (the Kafka admin check, which did, is off).
                .doesNotContain(KafkaResource.bootstrapServers()));
    }

    @Test
    void refusesAReencryptWithoutAReencryptSectionAndIgnoresOtherSteps() throws Exception {
        UUID rotation = UUID.randomUUID();
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            // Same key, same partition: the ignored command is handled before the REENCRYPT one.
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command(rotation, Step.STAGE_SECRET,
                    Direction.FORWARD), ORCHESTRATOR));
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command(rotation, Step.REENCRYPT,
                    Direction.FORWARD), ORCHESTRATOR));

            List<StepResult> replies = repliesFor(results, rotation, 1);
            assertThat(replies).singleElement().isInstanceOfSatisfying(StepFailed.class, failed -> {
                assertThat(failed.step()).isEqualTo(Step.REENCRYPT);
                assertThat(failed.attempt()).isEqualTo(1);
                assertThat(failed.direction()).isEqualTo(Direction.FORWARD);
                assertThat(failed.retryable()).isFalse();
                assertThat(failed.error()).isEqualTo("secret lockbox-master-key has no reencrypt section in the catalog");
            });
        }
    }

    @Test
    void compensationOfTheNeverPerformedStepIsANoOp() throws Exception {
        UUID rotation = UUID.randomUUID();
        try (var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command(rotation, Step.REENCRYPT,
                    Direction.COMPENSATE), ORCHESTRATOR));
            assertThat(repliesFor(results, rotation, 1)).singleElement().isInstanceOf(StepCompensated.class);
        }
    }

    @Test
    void malformedRecordGoesToTheDlqAndConsumptionContinues() throws Exception {
        UUID rotation = UUID.randomUUID();
        String dlqTopic = "topic=\"" + Topics.dlq("reencrypt-worker") + "\"";
        double deadBefore = valueOrZero(scrape(), "rotor_dead_lettered_records_total", dlqTopic);
        try (var dlq = KafkaClients.consumer(Topics.dlq("reencrypt-worker"));
                var results = KafkaClients.consumer(Topics.STEP_RESULTS)) {
            // Signed by the orchestrator's key, so it is the JSON that is refused.
            RecordHeaders headers = new RecordHeaders();
            headers.add(CloudEvents.TYPE, "dev.rotor.step-requested.v1".getBytes(StandardCharsets.UTF_8));
            headers.add(CloudEvents.TIME, Instant.now().toString().getBytes(StandardCharsets.UTF_8));
            byte[] payload = "{not json".getBytes(StandardCharsets.UTF_8);
            SIGNER.sign(headers, payload);
            KafkaClients.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, rotation.toString(), payload,
                    headers));
            KafkaClients.send(SIGNER.record(Topics.STEP_COMMANDS, command(rotation, Step.REENCRYPT,
                    Direction.FORWARD), ORCHESTRATOR));

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                KafkaClients.poll(dlq).stream().filter(r -> rotation.toString().equals(r.key())).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(KafkaEnvelope.header(dead.get(0).headers(), CloudEvents.DLQ_REASON))
                    .contains("not JSON");
            assertThat(repliesFor(results, rotation, 1)).singleElement().isInstanceOf(StepFailed.class);
            // Exactly one more record counted on the worker's dead-letter topic: the malformed one.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    value(scrape(), "rotor_dead_lettered_records_total", dlqTopic)).isEqualTo(deadBefore + 1));
        }
    }

    private String scrape() {
        return given().get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }

    private static List<StepResult> repliesFor(
            org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> results, UUID rotation, int expected) {
        List<StepResult> replies = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : KafkaClients.poll(results)) {
                RotorMessage m = KafkaEnvelope.read(r.headers(), r.value());
                if (m instanceof StepResult result && result.rotationId().equals(rotation)) {
                    replies.add(result);
                }
            }
            return replies.size() >= expected;
        });
        // Anything extra (a reply to the ignored step) would arrive right behind; give it a moment to show up.
        replies.addAll(KafkaClients.poll(results).stream()
                .map(r -> KafkaEnvelope.read(r.headers(), r.value()))
                .filter(m -> m instanceof StepResult s && s.rotationId().equals(rotation))
                .map(StepResult.class::cast).toList());
        return replies;
    }

    private static StepRequested command(UUID rotation, Step step, Direction direction) {
        StepSpec spec = new StepSpec("lockbox-master-key", null, Strategy.OFFLINE_REENCRYPT, null,
                new StoreRef("local", "tooljet/lockbox-master-key", null), List.of(), null, null, 1, 2, false, false);
        return new StepRequested(rotation, step, 1, direction, spec, Instant.now());
    }

    @org.junit.jupiter.api.Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        // 401 or 404 on the public port; 200 on the management port, the metrics as Prometheus text.
        org.assertj.core.api.Assertions.assertThat(dev.rotor.local.auth.ManagementPortCheck.check(
                base, management)).isEmpty();
    }
}
