package dev.rotor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The broker really stores records, and a restart on the same data dir brings them back. */
class EmbeddedKafkaTest {

    private static final String TOPIC = "rotor.test.roundtrip";

    @Test
    void producesConsumesAndSurvivesRestart() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            try (Admin admin = Admin.create(kafka.adminConfig())) {
                admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(kafka.clientConfig(KafkaPrincipals.ADMIN), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, "secret-1", "rotated")).get();
            }
            assertThat(readAll(kafka)).containsExactly("secret-1=rotated");
        } finally {
            kafka.close();
        }

        EmbeddedKafka again = EmbeddedKafka.start(kafka.port(), kafka.dataDir(), kafka.credentials());
        try {
            assertThat(again.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
            assertThat(readAll(again)).containsExactly("secret-1=rotated");
        } finally {
            again.close();
        }
    }

    @Test
    void closeIsIdempotentAndPortInUseIsOneClearLine() {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmbeddedKafka.start(kafka.port(), null,
                    KafkaCredentials.random()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("port " + kafka.port() + " on 127.0.0.1 is already in use");
        } finally {
            kafka.close();
            kafka.close();
        }
    }

    /** Reads the single partition from the start without a consumer group, which would cost a group join. */
    private static List<String> readAll(EmbeddedKafka kafka) {
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (var consumer = new KafkaConsumer<>(kafka.clientConfig(KafkaPrincipals.ADMIN),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(r.key() + "=" + r.value());
                }
            }
            return seen;
        }
    }
}
