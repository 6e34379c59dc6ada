package dev.rotor.orchestrator.it;

import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.RotorMessage;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * A plain consumer on one topic (assigned, from the beginning: no group join) and a plain producer: the test's fake
 * secret-sync and its view of what the orchestrator published.
 */
final class KafkaProbe implements AutoCloseable {
    static final String SOURCE = "/rotor/test-secret-sync";
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();

    private KafkaProbe(String topic) {
        Map<String, Object> props = new HashMap<>(KafkaResource.clientConfig());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    static KafkaProbe on(String topic) {
        ensureTopics();
        return new KafkaProbe(topic);
    }

    static synchronized void ensureTopics() {
        try (Admin admin = Admin.create(KafkaResource.clientConfig())) {
            for (String topic : List.of(Topics.ROTATIONS, Topics.STEP_COMMANDS, Topics.STEP_RESULTS,
                    Topics.ROTATION_REQUESTS, Topics.dlq("orchestrator"))) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the records keyed by {@code key} satisfy {@code until}; returns them in topic order. */
    List<ConsumerRecord<String, byte[]>> await(String key, Predicate<List<ConsumerRecord<String, byte[]>>> until) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .until(() -> until.test(poll(key)));
        return poll(key);
    }

    /** What arrived so far for {@code key}, after a short poll. */
    List<ConsumerRecord<String, byte[]>> poll(String key) {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return seen.stream().filter(r -> key.equals(r.key())).toList();
    }

    static RotorMessage read(ConsumerRecord<String, byte[]> record) {
        return KafkaEnvelope.read(record.headers(), record.value());
    }

    static List<RotorMessage> messages(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(KafkaProbe::read).toList();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        return KafkaEnvelope.header(record.headers(), name);
    }

    /** Sends as a worker would: key = subject, CloudEvents headers. Waits for the broker ack. */
    static void send(String topic, RotorMessage message) {
        send(KafkaEnvelope.record(topic, message, SOURCE));
    }

    static void send(ProducerRecord<String, byte[]> record) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaResource.clientConfig(),
                new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    static String key(UUID id) {
        return id.toString();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
