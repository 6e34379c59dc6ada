package dev.rotor.notifier.consume;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.rotor.contracts.messages.AuditCheckpoint;
import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationCompleted;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationRequested;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.SecretStaged;
import dev.rotor.contracts.messages.SecretUpdated;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.auth.OpenApiCheck;
import dev.rotor.local.auth.RoleMatrix;
import dev.rotor.notifier.channel.Notification;
import dev.rotor.notifier.consume.Receiver.Request;
import dev.rotor.notifier.slack.SlackMessage;
import dev.rotor.notifier.webhook.CloudEventBody;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The notifier through the real broker to real HTTP receivers: exactly these messages, in this order. */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = "notifier_consumer"))
@QuarkusTestResource(ReceiversResource.class)
class RotationEventConsumerTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORCHESTRATOR = "/rotor/orchestrator";
    private static final Duration WAIT = Duration.ofSeconds(30);

    ReceiversResource.Receivers receivers;

    @Test
    void theOpenApiDocumentDescribesEveryEndpointAndSwaggerUiIsServed() {
        // No /api endpoint here: the document says so (no paths), and still carries the shared Problem schema.
        assertThat(OpenApiCheck.check(management, RoleMatrix.scan(java.nio.file.Path.of("target/classes")))).isEmpty();
    }

    @Test
    void reportsReadyFromItsChannelsAndNamesNoBroker() {
        await().atMost(WAIT).untilAsserted(() -> org.assertj.core.api.Assertions.assertThat(
                given().get(management.resolve("/q/health/ready")).then().statusCode(200).body("status", is("UP"))
                        .body("checks.name", hasItem("SmallRye Reactive Messaging - readiness check"))
                        .extract().asString())
                // Open to probes, so it names no broker address (the Kafka admin check, which did, is off).
                .doesNotContain(KafkaResource.bootstrapServers()));
    }

    @Test
    void everyMilestoneReachesEachChannelExactlyOnceAndInOrder() throws Exception {
        UUID rotation = UUID.randomUUID();
        Instant at = Instant.now();
        List<RotationEvent> events = List.of(
                new RotationRequested(rotation, "jwt-secret", Trigger.MANUAL, "quarterly", "dual-key", "alice", at),
                new SecretStaged(rotation, "jwt-secret", Trigger.MANUAL, "quarterly", "local", 2, at),
                new SecretUpdated(rotation, "jwt-secret", Trigger.MANUAL, "quarterly", 2, 1, at),
                new RotationCompleted(rotation, "jwt-secret", Trigger.MANUAL, "quarterly", 1, 2, at));
        List<Notification> sent = new ArrayList<>();
        for (RotationEvent event : events) {
            sent.add(send(event));
        }

        List<Request> hooks = awaitRequests(receivers.webhook(), rotation, 4);
        List<Request> chats = awaitRequests(receivers.slack(), rotation, 4);
        for (int i = 0; i < 4; i++) {
            assertThat(hooks.get(i).path()).isEqualTo("/events");
            assertThat(hooks.get(i).contentType()).startsWith("application/cloudevents+json");
            assertThat(JSON.readTree(hooks.get(i).body())).isEqualTo(JSON.readTree(CloudEventBody.of(sent.get(i)).toJson()));
            assertThat(chats.get(i).contentType()).isEqualTo("application/json");
            assertThat(JSON.readTree(chats.get(i).body())).isEqualTo(JSON.readTree(SlackMessage.of(sent.get(i)).toJson()));
        }
        assertThat(hooks).extracting(r -> json(r).get("type").asText()).containsExactly(
                "dev.rotor.rotation-requested.v1", "dev.rotor.secret-staged.v1", "dev.rotor.secret-updated.v1",
                "dev.rotor.rotation-completed.v1");
        assertThat(hooks).allSatisfy(r -> assertThat(json(r).has("rotorurgent")).isFalse());
        assertThat(chats).extracting(r -> json(r).get("text").asText()).containsExactly(
                "Rotation requested for jwt-secret (MANUAL): quarterly",
                "New version staged for jwt-secret (MANUAL): quarterly",
                "Secret updated for jwt-secret (MANUAL): quarterly",
                "Rotation completed for jwt-secret (MANUAL): quarterly");
        // Who asked is shown where the rotation starts.
        assertThat(chats.get(0).body()).contains("strategy dual-key, requested by alice");
    }

    @Test
    void aRedeliveredRecordSendsNothingMore() throws Exception {
        UUID rotation = UUID.randomUUID();
        var staged = KafkaEnvelope.record(Topics.ROTATIONS,
                new SecretStaged(rotation, "jwt-secret", Trigger.MANUAL, null, "local", 2, Instant.now()), ORCHESTRATOR);
        KafkaClients.send(staged);
        awaitRequests(receivers.webhook(), rotation, 1);
        KafkaClients.send(staged); // same ce_id: a redelivery
        send(new SecretUpdated(rotation, "jwt-secret", Trigger.MANUAL, null, 2, 1, Instant.now()));

        // Same key, same partition, one lane per channel: a duplicate would have arrived before the update.
        assertThat(awaitRequests(receivers.webhook(), rotation, 2)).extracting(r -> json(r).get("type").asText())
                .containsExactly("dev.rotor.secret-staged.v1", "dev.rotor.secret-updated.v1");
        assertThat(awaitRequests(receivers.slack(), rotation, 2)).extracting(r -> json(r).get("text").asText())
                .containsExactly("New version staged for jwt-secret (MANUAL)", "Secret updated for jwt-secret (MANUAL)");
        assertThat(json(requestsFor(receivers.webhook(), rotation).get(0)).get("id").asText())
                .isEqualTo(KafkaEnvelope.header(staged.headers(), CloudEvents.ID));
    }

    @Test
    void aReceiverFailingTwiceGetsTheMessageDeliveredExactlyOnce() throws Exception {
        UUID rotation = UUID.randomUUID();
        receivers.webhook().answer("/flaky", 503, 503);
        send(new RotationRequested(rotation, "flaky-secret", Trigger.MANUAL, null, "immediate", "alice", Instant.now()));

        List<Request> attempts = awaitRequests(receivers.webhook(), rotation, 3);
        assertThat(attempts).extracting(Request::path).containsOnly("/flaky");
        assertThat(attempts).extracting(Request::status).containsExactly(503, 503, 200);
        assertThat(attempts).extracting(Request::body).containsOnly(attempts.get(0).body());

        send(new RotationCompleted(rotation, "flaky-secret", Trigger.MANUAL, null, 1, 2, Instant.now()));
        assertThat(awaitRequests(receivers.webhook(), rotation, 4)).extracting(r -> json(r).get("type").asText())
                .containsExactly("dev.rotor.rotation-requested.v1", "dev.rotor.rotation-requested.v1",
                        "dev.rotor.rotation-requested.v1", "dev.rotor.rotation-completed.v1");
    }

    @Test
    void urgentMilestonesAreMarked() throws Exception {
        UUID rotation = UUID.randomUUID();
        send(new RotationRolledBack(rotation, "jwt-secret", Trigger.EMERGENCY, "leaked in git", Step.UPDATE_SECRET,
                "target not writable", Instant.now()));

        JsonNode hook = json(awaitRequests(receivers.webhook(), rotation, 1).get(0));
        assertThat(hook.get("rotorurgent").asBoolean()).isTrue();
        JsonNode chat = json(awaitRequests(receivers.slack(), rotation, 1).get(0));
        assertThat(chat.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(chat.at("/blocks/0/text/text").asText()).isEqualTo(":rotating_light: URGENT");
        assertThat(chat.get("text").asText()).isEqualTo(
                "URGENT: Rotation rolled back for jwt-secret (EMERGENCY): leaked in git");
    }

    @Test
    void malformedRecordGoesToTheDlqAndTheNextEventIsDelivered() throws Exception {
        UUID rotation = UUID.randomUUID();
        try (var dlq = KafkaClients.consumer(Topics.dlq("notifier"))) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(CloudEvents.TYPE, "dev.rotor.rotation-completed.v1".getBytes(StandardCharsets.UTF_8));
            KafkaClients.send(new ProducerRecord<>(Topics.ROTATIONS, null, rotation.toString(),
                    "{not json".getBytes(StandardCharsets.UTF_8), headers));
            send(new RotationCompleted(rotation, "jwt-secret", Trigger.MANUAL, null, 1, 2, Instant.now()));

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                KafkaClients.poll(dlq).stream().filter(r -> rotation.toString().equals(r.key())).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(KafkaEnvelope.header(dead.get(0).headers(), CloudEvents.DLQ_REASON))
                    .isEqualTo("payload of dev.rotor.rotation-completed.v1 is not JSON");
            assertThat(awaitRequests(receivers.webhook(), rotation, 1)).extracting(r -> json(r).get("type").asText())
                    .containsExactly("dev.rotor.rotation-completed.v1");
        }
    }

    @Test
    void anAuditCheckpointReachesTheArchiveWebhookOnceAndNoOtherChannel() throws Exception {
        UUID rotation = UUID.randomUUID();
        String head = String.format("%064x", new java.math.BigInteger(255, new java.security.SecureRandom()));
        try (var dlq = KafkaClients.consumer(Topics.dlq("notifier"))) {
            AuditCheckpoint anchor = new AuditCheckpoint(7, head, Instant.now());
            var checkpoint = KafkaEnvelope.record(Topics.ROTATIONS, anchor, ORCHESTRATOR);
            // Twice, as a redelivery would, then a milestone, all on partition 0 and so handled in this order; the
            // webhook's one lane sends in claim order, so once the milestone is there the checkpoint was sent.
            for (int i = 0; i < 2; i++) {
                KafkaClients.send(new ProducerRecord<>(Topics.ROTATIONS, 0, checkpoint.key(), checkpoint.value(),
                        checkpoint.headers()));
            }
            var completed = KafkaEnvelope.record(Topics.ROTATIONS, new RotationCompleted(rotation, "jwt-secret",
                    Trigger.MANUAL, null, 1, 2, Instant.now()), ORCHESTRATOR);
            KafkaClients.send(new ProducerRecord<>(Topics.ROTATIONS, 0, completed.key(), completed.value(),
                    completed.headers()));

            assertThat(awaitRequests(receivers.webhook(), rotation, 1)).extracting(r -> json(r).get("type").asText())
                    .containsExactly("dev.rotor.rotation-completed.v1");
            List<Request> archived = receivers.webhook().requests().stream().filter(r -> r.body().contains(head))
                    .toList();
            assertThat(archived).hasSize(1);
            assertThat(archived.get(0).path()).isEqualTo("/events");
            assertThat(archived.get(0).contentType()).startsWith("application/cloudevents+json");
            Notification expected = new Notification(anchor, KafkaEnvelope.header(checkpoint.headers(),
                    CloudEvents.ID), ORCHESTRATOR, KafkaEnvelope.header(checkpoint.headers(), CloudEvents.TIME));
            assertThat(JSON.readTree(archived.get(0).body())).isEqualTo(JSON.readTree(CloudEventBody.of(expected)
                    .toJson()));
            JsonNode body = json(archived.get(0));
            assertThat(body.get("type").asText()).isEqualTo("dev.rotor.audit-checkpoint.v1");
            assertThat(body.get("subject").asText()).isEqualTo(AuditCheckpoint.SUBJECT);
            assertThat(body.at("/data/seq").asLong()).isEqualTo(7);
            assertThat(body.at("/data/headHash").asText()).isEqualTo(head);
            assertThat(body.has("rotorurgent")).isFalse();
            assertThat(receivers.slack().requests()).noneMatch(r -> r.body().contains(head));

            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            while (System.nanoTime() < until) {
                KafkaClients.poll(dlq).forEach(dead::add);
            }
            assertThat(dead).extracting(ConsumerRecord::key).doesNotContain(AuditCheckpoint.SUBJECT);
        }
    }

    @Test
    void eventsOfUnknownSecretsAreSkipped() throws Exception {
        UUID rotation = UUID.randomUUID();
        send(new RotationRequested(rotation, "not-in-catalog", Trigger.MANUAL, null, "dual-key", "alice", Instant.now()));
        send(new RotationRequested(rotation, "jwt-secret", Trigger.MANUAL, null, "dual-key", "alice", Instant.now()));

        assertThat(awaitRequests(receivers.webhook(), rotation, 1)).extracting(r -> json(r).at("/data/secretId").asText())
                .containsExactly("jwt-secret");
    }

    private static Notification send(RotationEvent event) throws Exception {
        ProducerRecord<String, byte[]> record = KafkaEnvelope.record(Topics.ROTATIONS, event, ORCHESTRATOR);
        KafkaClients.send(record);
        return new Notification(event, KafkaEnvelope.header(record.headers(), CloudEvents.ID), ORCHESTRATOR,
                KafkaEnvelope.header(record.headers(), CloudEvents.TIME));
    }

    /** Waits for at least {@code count} requests about the rotation, then returns them all in arrival order. */
    private static List<Request> awaitRequests(Receiver receiver, UUID rotation, int count) {
        await().atMost(WAIT).until(() -> requestsFor(receiver, rotation).size() >= count);
        List<Request> found = requestsFor(receiver, rotation);
        assertThat(found).hasSize(count);
        return found;
    }

    private static List<Request> requestsFor(Receiver receiver, UUID rotation) {
        return receiver.requests().stream().filter(r -> r.body().contains(rotation.toString())).toList();
    }

    private static JsonNode json(Request request) {
        try {
            return JSON.readTree(request.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + request.path(), e);
        }
    }

    @org.junit.jupiter.api.Test
    void healthMetricsAndOpenApiAreServedOnTheManagementPortOnly() {
        // 401 or 404 on the public port; 200 on the management port, the metrics as Prometheus text.
        org.assertj.core.api.Assertions.assertThat(dev.rotor.local.auth.ManagementPortCheck.check(
                base, management)).isEmpty();
    }
}
