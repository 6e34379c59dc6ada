package dev.rotor.notifier.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotationEvent;
import dev.rotor.contracts.messages.RotationRolledBack;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.messages.Trigger;
import dev.rotor.local.KafkaClients;
import dev.rotor.local.KafkaResource;
import dev.rotor.local.PostgresResource;
import dev.rotor.local.auth.AuthResource;
import dev.rotor.notifier.consume.Receiver.Request;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Urgent milestones through the real broker: the consumer's committed offset stays before the record until a
 * channel delivered it, and one that a channel gives up on is dead-lettered, never silently dropped.
 */
@QuarkusTest
@QuarkusTestResource(AuthResource.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = "notifier_urgent"))
@QuarkusTestResource(ReceiversResource.class)
class UrgentDeliveryTest {
    private static final String GROUP = "rotor-notifier.rotations";
    private static final Duration WAIT = Duration.ofSeconds(30);

    ReceiversResource.Receivers receivers;

    @Test
    void anUrgentMilestoneIsCommittedOnlyAfterItsDeliveryWhichHappensExactlyOnce() throws Exception {
        UUID rotation = UUID.randomUUID();
        receivers.webhook().answer("/flaky", 503, 503);
        receivers.webhook().hold("/flaky");
        RecordMetadata sent = send(rolledBack(rotation));
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        try {
            await().atMost(WAIT).until(() -> requestsFor(rotation).size() == 1);
            // The first attempt hangs at the receiver: several commit intervals pass without the offset moving on.
            await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> committed(partition) <= sent.offset());
        } finally {
            receivers.webhook().release("/flaky");
        }
        await().atMost(WAIT).until(() -> committed(partition) > sent.offset());

        List<Request> attempts = requestsFor(rotation);
        assertThat(attempts).extracting(Request::status).containsExactly(503, 503, 200);
        assertThat(attempts).extracting(Request::body).containsOnly(attempts.get(0).body());
    }

    @Test
    void anUrgentMilestoneThatAChannelGivesUpOnIsDeadLetteredWithTheChannelNamed() throws Exception {
        UUID rotation = UUID.randomUUID();
        receivers.webhook().answer("/flaky", 503, 503, 503, 503, 503);
        try (var dlq = KafkaClients.consumer(Topics.dlq("notifier"))) {
            send(rolledBack(rotation));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                KafkaClients.poll(dlq).stream().filter(r -> rotation.toString().equals(r.key())).forEach(dead::add);
                return !dead.isEmpty();
            });
            assertThat(KafkaEnvelope.header(dead.get(0).headers(), CloudEvents.DLQ_REASON)).isEqualTo(
                    "urgent rotation-rolled-back of rotation " + rotation + " not delivered to channel(s) flaky-hook");
        }
        assertThat(requestsFor(rotation)).extracting(Request::status).containsExactly(503, 503, 503, 503, 503);
    }

    private static RotationEvent rolledBack(UUID rotation) {
        return new RotationRolledBack(rotation, "flaky-secret", Trigger.EMERGENCY, "leaked", Step.UPDATE_SECRET,
                "target not writable", Instant.now());
    }

    private List<Request> requestsFor(UUID rotation) {
        return receivers.webhook().requests().stream().filter(r -> r.body().contains(rotation.toString())).toList();
    }

    private static RecordMetadata send(RotationEvent event) throws Exception {
        try (var producer = new KafkaProducer<>(KafkaResource.clientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            return producer.send(KafkaEnvelope.record(Topics.ROTATIONS, event, "/rotor/orchestrator")).get();
        }
    }

    /** The group's committed offset on the partition (the next record it will read), or -1 if none yet. */
    private static long committed(TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(KafkaResource.clientConfig())) {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                    .get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }
}
