package dev.rotor.orchestrator.it;

import static dev.rotor.orchestrator.it.Api.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.RotationRequestSubmitted;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.local.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Kafka inputs other than replies: rotation requests (de-duplicated) and malformed records (dead-lettered). */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orchestrator"))
class RotationRequestsTest {

    private static List<String> rotationsOf(String secretId) {
        return given().get("/api/rotations?limit=500").then().statusCode(200).extract()
                .path("findAll { it.secretId == '" + secretId + "' }.id");
    }

    @Test
    void aRequestStartsOneRotationEvenWhenDeliveredTwice() {
        RotationRequestSubmitted request = new RotationRequestSubmitted(UUID.randomUUID(), "orch-request",
                Trigger.EMERGENCY, "leaked in chat", "alice", "slack", Instant.now());
        KafkaProbe.ensureTopics();
        KafkaProbe.send(Topics.ROTATION_REQUESTS, request);
        KafkaProbe.send(Topics.ROTATION_REQUESTS, request);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rotationsOf("orch-request").size() == 1);
        UUID id = UUID.fromString(rotationsOf("orch-request").get(0));
        try (KafkaProbe commands = KafkaProbe.on(Topics.STEP_COMMANDS)) {
            StepRequested stage = (StepRequested) KafkaProbe.read(commands.await(id.toString(), rs -> !rs.isEmpty())
                    .get(0));
            assertThat(stage.spec().secretId()).isEqualTo("orch-request");
        }
        assertThat(Api.get(id).then().extract().<String>path("trigger")).isEqualTo("EMERGENCY");
        assertThat(rotationsOf("orch-request")).hasSize(1);
    }

    @Test
    void aMalformedReplyGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEvents.TYPE, "dev.rotor.no-such-thing.v1".getBytes(StandardCharsets.UTF_8));
        try (KafkaProbe dlq = KafkaProbe.on(Topics.dlq("orchestrator"))) {
            KafkaProbe.send(new ProducerRecord<>(Topics.STEP_RESULTS, null, key,
                    "{}".getBytes(StandardCharsets.UTF_8), headers));
            var dead = dlq.await(key, rs -> !rs.isEmpty()).get(0);
            assertThat(KafkaProbe.header(dead, "dead-letter-reason")).contains("unknown message type");
        }
    }

    @Test
    void aCronScheduleStartsAScheduledRotationAndSkipsFireTimesWhileItIsActive() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !rotationsOf("orch-cron").isEmpty());
        UUID id = UUID.fromString(rotationsOf("orch-cron").get(0));
        assertThat(Api.get(id).then().extract().<String>path("trigger")).isEqualTo("SCHEDULED");
        // Later fire times (every 2 s) find the rotation active and are skipped.
        Awaitility.await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> rotationsOf("orch-cron").size() == 1);
    }
}
