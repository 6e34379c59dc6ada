package dev.rotor.sync.steps;

import static org.awaitility.Awaitility.await;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain Kafka clients for tests: send records as the orchestrator would, and collect what lands on a topic. */
final class KafkaTestClient implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new CopyOnWriteArrayList<>();

    /** {@code clientConfig}: the standard client properties, {@code KafkaResource.clientConfig()} in tests. */
    KafkaTestClient(Map<String, Object> clientConfig, String topic) {
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    void send(ProducerRecord<String, byte[]> record) throws Exception {
        producer.send(record).get();
    }

    /** Polls until a record matches, and returns it. */
    ConsumerRecord<String, byte[]> awaitRecord(Predicate<ConsumerRecord<String, byte[]>> match) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return seen.stream().filter(match).findFirst().orElse(null);
        }, r -> r != null);
    }

    /** Polls until {@code count} records match, and returns them in arrival order. */
    List<ConsumerRecord<String, byte[]>> awaitRecords(Predicate<ConsumerRecord<String, byte[]>> match, int count) {
        pollUntil(() -> seen.stream().filter(match).count() >= count);
        return seen.stream().filter(match).toList();
    }

    /** Polls until the condition holds. */
    void pollUntil(java.util.function.BooleanSupplier condition) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            return condition.getAsBoolean();
        });
    }

    /** The replies received so far for one rotation, decoded. */
    List<RotorMessage> messagesFor(UUID rotationId) {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return seen.stream().filter(r -> rotationId.toString().equals(r.key()))
                .map(r -> KafkaEnvelope.read(r.headers(), r.value())).toList();
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
    }
}
