package dev.rotor.systemtests;

import dev.rotor.contracts.messages.CloudEvents;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.local.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads whole topics from the beginning, as an outside subscriber would, connected as the super user. */
final class TopicReader {
    record Rec(String topic, String key, String type, String id, byte[] value, String headersText, Headers headers) {
        String text() {
            return topic + " " + key + " " + headersText + " " + new String(value == null ? new byte[0] : value,
                    StandardCharsets.UTF_8);
        }
    }

    private final Map<String, Object> clientConfig;

    TopicReader(String bootstrap) {
        Map<String, Object> config = new HashMap<>(KafkaResource.clientConfig());
        config.put("bootstrap.servers", bootstrap);
        this.clientConfig = Map.copyOf(config);
    }

    Set<String> rotorTopics() throws Exception {
        try (Admin admin = Admin.create(clientConfig)) {
            return admin.listTopics().names().get().stream().filter(t -> t.startsWith("rotor."))
                    .collect(Collectors.toSet());
        }
    }

    /** Every record now on the given topics, each topic's partitions read to their current end. */
    List<Rec> readAll(Set<String> topics) {
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<Rec> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream()
                    .flatMap(t -> consumer.partitionsFor(t, Duration.ofSeconds(10)).stream()
                            .map(p -> new TopicPartition(t, p.partition())))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    StringBuilder headers = new StringBuilder();
                    for (Header h : r.headers()) {
                        headers.append(h.key()).append('=')
                                .append(h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8))
                                .append(';');
                    }
                    out.add(new Rec(r.topic(), r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8),
                            KafkaEnvelope.header(r.headers(), CloudEvents.TYPE),
                            KafkaEnvelope.header(r.headers(), CloudEvents.ID), r.value(), headers.toString(),
                            r.headers()));
                }
            }
        }
        return out;
    }

    /**
     * One rotation's milestones in order, each published event once: delivery is at least once, so after a crash the
     * relay may publish an event again, with the same {@code ce_id}.
     */
    List<String> distinctMilestones(String rotationId) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return readAll(Set.of("rotor.rotations")).stream().filter(r -> rotationId.equals(r.key()))
                .filter(r -> seen.add(r.id()))
                .map(r -> r.type().replace("dev.rotor.", "").replace(".v1", "")).toList();
    }

    /** The step commands sent for one rotation, as {@code STEP/DIRECTION}, in order. */
    List<String> commandsFor(String rotationId) {
        return readAll(Set.of("rotor.step-commands")).stream().filter(r -> rotationId.equals(r.key()))
                .map(r -> {
                    try {
                        var cmd = (dev.rotor.contracts.messages.StepRequested) dev.rotor.contracts.messages.MessageCodec
                                .decode(r.type(), r.value());
                        return cmd.step() + "/" + cmd.direction();
                    } catch (RuntimeException e) {
                        return "unreadable";
                    }
                }).toList();
    }

    /** The wire types of one rotation's milestones on rotor.rotations, in order. */
    List<String> milestones(String rotationId) {
        return readAll(Set.of("rotor.rotations")).stream().filter(r -> rotationId.equals(r.key()))
                .map(r -> r.type().replace("dev.rotor.", "").replace(".v1", "")).toList();
    }
}
