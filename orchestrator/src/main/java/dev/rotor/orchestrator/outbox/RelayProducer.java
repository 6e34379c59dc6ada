package dev.rotor.orchestrator.outbox;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The relay's plain Kafka producer. It takes every {@code kafka.*} property, as the SmallRye channels do (bootstrap,
 * {@code security.protocol}, SASL, TLS), and overrides only what the relay's guarantees rest on: idempotent with
 * acks=all, so a broker retry neither duplicates nor reorders records of one partition.
 */
@ApplicationScoped
public class RelayProducer {
    /** Quarkus's map of the {@code kafka.*} properties, environment variables such as KAFKA_SASL_JAAS_CONFIG included. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    private volatile KafkaProducer<String, byte[]> producer;

    public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        return producer().send(record);
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Map<String, Object> props = new HashMap<>(kafkaConfig);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "rotor-orchestrator-outbox");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    void onStop(@Observes ShutdownEvent event) {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
