package dev.rotor.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients on the broker of {@link KafkaResource}, as another service would use them: for tests. They
 * connect as the super user ({@link KafkaResource#clientConfig()}).
 */
public final class KafkaClients {
    private KafkaClients() {
    }

    public static void send(ProducerRecord<String, byte[]> record) throws Exception {
        try (var producer = new KafkaProducer<>(KafkaResource.clientConfig(), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(record).get();
        }
    }

    /** A consumer in a fresh group, reading the topic from its beginning. */
    public static KafkaConsumer<String, byte[]> consumer(String topic) {
        Map<String, Object> config = new HashMap<>(KafkaResource.clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    public static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        return out;
    }
}
