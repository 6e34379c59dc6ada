package dev.rotor.orchestrator.it;

import static dev.rotor.orchestrator.it.Api.given;
import static dev.rotor.local.PrometheusSamples.value;
import static dev.rotor.local.PrometheusSamples.valueOrZero;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.SigningKeysResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Kafka inputs other than replies: rotation requests (signed by a bridge, de-duplicated), and unsigned, forged or
 * malformed records (dead-lettered).
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
@QuarkusTestResource(value = SigningKeysResource.class,
        initArgs = @ResourceArg(name = "role", value = SigningKeysResource.ORCHESTRATOR))
class RotationRequestsTest {
    /** The management interface: health, metrics and OpenAPI are served there, never on the public port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URI management;
    private static final String DLQ_TOPIC = "topic=\"" + Topics.dlq("orchestrator") + "\"";
    @Inject
    AgroalDataSource dataSource;
    private static final String BRIDGE = "/rotor/test-chat-ops";

    private static List<String> rotationsOf(String secretId) {
        return given().get("/api/rotations?limit=500").then().statusCode(200).extract()
                .path("findAll { it.secretId == '" + secretId + "' }.id");
    }

    @Test
    void aRequestStartsOneRotationEvenWhenDeliveredTwice() {
        RotationRequestSubmitted request = new RotationRequestSubmitted(UUID.randomUUID(), "orch-request",
                Trigger.EMERGENCY, "leaked in chat", "alice", "slack", Instant.now());
        KafkaProbe.ensureTopics();
        ProducerRecord<String, byte[]> signed = SigningKeysResource.bridgeSigner().record(Topics.ROTATION_REQUESTS,
                request, BRIDGE);
        KafkaProbe.send(signed);
        KafkaProbe.send(signed); // the same record again, inside the replay window: an ordinary duplicate

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rotationsOf("orch-request").size() == 1);
        UUID id = UUID.fromString(rotationsOf("orch-request").get(0));
        try (KafkaProbe commands = KafkaProbe.on(Topics.STEP_COMMANDS)) {
            StepRequested stage = (StepRequested) KafkaProbe.read(commands.await(id.toString(), rs -> !rs.isEmpty())
                    .get(0));
            assertThat(stage.spec().secretId()).isEqualTo("orch-request");
        }
        assertThat(Api.get(id).then().extract().<String>path("trigger")).isEqualTo("EMERGENCY");
        assertThat(rotationsOf("orch-request")).hasSize(1);
        // Audited once, as the user the bridge vouches for, from chat.
        List<String> requested = given().get("/api/audit?rotation=" + id).then().statusCode(200).extract()
                .path("findAll { it.kind == 'rotation-requested' }.collect { it.subject + ' via ' + it.source }");
        assertThat(requested).containsExactly("alice via chat");
    }

    @Test
    void anUnsignedForgedOrTamperedRequestIsDeadLetteredAndStartsNoRotation() {
        RotationRequestSubmitted unsigned = request("orch-forged");
        RotationRequestSubmitted wrongKey = request("orch-forged");
        RotationRequestSubmitted tampered = request("orch-request");
        ProducerRecord<String, byte[]> altered = SigningKeysResource.bridgeSigner().record(Topics.ROTATION_REQUESTS,
                tampered, BRIDGE);
        byte[] forgedPayload = new String(altered.value(), StandardCharsets.UTF_8)
                .replace("\"orch-request\"", "\"orch-forged\"").getBytes(StandardCharsets.UTF_8);

        double deadBefore = deadLettered();
        try (KafkaProbe dlq = KafkaProbe.on(Topics.dlq("orchestrator"))) {
            KafkaProbe.send(KafkaEnvelope.record(Topics.ROTATION_REQUESTS, unsigned, BRIDGE));
            // The orchestrator's own command key is not a bridge key.
            KafkaProbe.send(SigningKeysResource.commandSigner().record(Topics.ROTATION_REQUESTS, wrongKey, BRIDGE));
            KafkaProbe.send(new ProducerRecord<>(Topics.ROTATION_REQUESTS, null, altered.key(), forgedPayload,
                    altered.headers()));

            assertThat(reason(dlq, unsigned)).startsWith("unsigned: ");
            assertThat(reason(dlq, wrongKey)).startsWith("unknown key: ");
            assertThat(reason(dlq, tampered)).startsWith("bad signature: ");
        }
        // Counted through rotor-redeliver-transient, which dead-letters them like rotor-dead-letter-queue.
        assertDeadLettered(deadBefore + 3);
        // Each was refused when it was consumed, so none can start a rotation later.
        assertThat(rotationsOf("orch-forged")).isEmpty();
    }

    private static RotationRequestSubmitted request(String secretId) {
        return new RotationRequestSubmitted(UUID.randomUUID(), secretId, Trigger.EMERGENCY, "forged", "mallory",
                "slack", Instant.now());
    }

    private static String reason(KafkaProbe dlq, RotationRequestSubmitted request) {
        return KafkaProbe.header(dlq.await(request.subject(), rs -> !rs.isEmpty()).get(0), "dead-letter-reason");
    }

    @Test
    void aMalformedReplyGoesToTheDeadLetterTopic() {
        double deadBefore = deadLettered();
        String key = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEvents.TYPE, "dev.rotor.no-such-thing.v1".getBytes(StandardCharsets.UTF_8));
        try (KafkaProbe dlq = KafkaProbe.on(Topics.dlq("orchestrator"))) {
            KafkaProbe.send(new ProducerRecord<>(Topics.STEP_RESULTS, null, key,
                    "{}".getBytes(StandardCharsets.UTF_8), headers));
            var dead = dlq.await(key, rs -> !rs.isEmpty()).get(0);
            assertThat(KafkaProbe.header(dead, "dead-letter-reason")).contains("unknown message type");
        }
        assertDeadLettered(deadBefore + 1);
    }

    private double deadLettered() {
        return valueOrZero(metrics(), "rotor_dead_lettered_records_total", DLQ_TOPIC);
    }

    /** Counted once the dead-letter copy was acknowledged, which may be just after the probe read it. */
    private void assertDeadLettered(double expected) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                value(metrics(), "rotor_dead_lettered_records_total", DLQ_TOPIC)).isEqualTo(expected));
    }

    private String metrics() {
        return io.restassured.RestAssured.get(management.resolve("/q/metrics")).then().statusCode(200).extract().asString();
    }

    @Test
    void aCronScheduleStartsAScheduledRotationAndSkipsFireTimesWhileItIsActive() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !rotationsOf("orch-cron").isEmpty());
        UUID id = UUID.fromString(rotationsOf("orch-cron").get(0));
        assertThat(Api.get(id).then().extract().<String>path("trigger")).isEqualTo("SCHEDULED");
        assertThat(given().get("/api/audit?rotation=" + id).then().statusCode(200).extract().<List<String>>path(
                "findAll { it.kind == 'rotation-requested' }.collect { it.subject + ' via ' + it.source }"))
                .as("audited as the schedule's").containsExactly("schedule via schedule");
        // Later fire times (every 2 s) find the rotation active and are skipped. Its STAGE is never answered, so it
        // ends after its timeouts and compensation (about 2 min) and the next fire time may then start another: the
        // skips, not the count of rotations, are what shows it.
        Instant after = Instant.now();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> skippedSince(after) >= 2);
    }

    private long skippedSince(Instant after) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("select count(*)"
                + " from schedule_run where secret_id = 'orch-cron' and fire_time > ? and outcome = ?")) {
            ps.setTimestamp(1, Timestamp.from(after));
            ps.setString(2, "skipped: a rotation of 'orch-cron' is already active");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
