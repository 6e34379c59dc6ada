package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.EmbeddedKafka;
import dev.rotor.local.KafkaResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into real processes: a crash at a bad moment must still end in exactly one clean state, with the
 * store, the target and the milestones agreeing. Each scenario rotates its own secret.
 */
class FaultInjectionSystemTest {
    private static final String INITIAL = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    static Path home;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;

    @BeforeAll
    static void startSystem() throws Exception {
        for (String id : List.of("crash-orchestrator", "crash-secret-sync", "broker-outage", "after-poison")) {
            Files.writeString(home.resolve(id + ".env"), "# " + id + "\nSECRET=" + INITIAL + "\nSECRET_PREVIOUS=\n");
        }
        String catalog = new String(FaultInjectionSystemTest.class.getResourceAsStream("/fault-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog),
                Map.of("ROTOR_ORCHESTRATOR_STEP_TIMEOUT", "20s"));
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void orchestratorKilledAfterStageCompletesAfterRestart() throws Exception {
        String id = api.rotate("crash-orchestrator", "MANUAL", "fault: orchestrator crash");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> topics.milestones(id).contains("secret-staged"));
        system.service("orchestrator").kill9();
        system.service("orchestrator").start();
        system.service("orchestrator").awaitReady(Duration.ofSeconds(120));

        assertCleanlyRotated("crash-orchestrator", id);
    }

    @Test
    void secretSyncKilledDuringUpdateEndsCompletedOrRolledBackNeverAMix() throws Exception {
        String id = api.rotate("crash-secret-sync", "MANUAL", "fault: secret-sync crash");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> topics.commandsFor(id).contains("UPDATE_SECRET/FORWARD"));
        system.service("secret-sync").kill9();
        system.service("secret-sync").start();
        system.service("secret-sync").awaitReady(Duration.ofSeconds(120));

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));
        if (rotation.get("state").asText().equals("COMPLETED")) {
            assertCleanlyRotated("crash-secret-sync", id);
        } else {
            assertThat(rotation.get("state").asText()).isEqualTo("ROLLED_BACK");
            assertThat(EnvFile.read(home.resolve("crash-secret-sync.env"))).containsEntry("SECRET", INITIAL);
            assertThat(labels("fault/crash-secret-sync")).doesNotContain("2:pending", "2:current");
        }
    }

    @Test
    void brokerDownForTenSecondsMidRotationCompletes() throws Exception {
        EmbeddedKafka broker = KafkaResource.embedded();
        org.junit.jupiter.api.Assumptions.assumeTrue(broker != null, "only with the embedded broker");
        String id = api.rotate("broker-outage", "MANUAL", "fault: broker outage");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> topics.milestones(id).contains("rotation-requested"));
        broker.close();
        Thread.sleep(10_000);
        KafkaResource.replaceEmbedded(EmbeddedKafka.start(broker.port(), broker.dataDir(),
                broker.credentials()));

        assertCleanlyRotated("broker-outage", id);
    }

    @Test
    void poisonRecordsGoToEachServicesDeadLetterTopicAndRotationsStillComplete() throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaResource.clientConfig(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String topic : List.of(Topics.STEP_COMMANDS, Topics.STEP_RESULTS, Topics.ROTATIONS,
                    Topics.ROTATION_REQUESTS)) {
                producer.send(poison(topic, "dev.rotor.step-requested.v1", "not json at all"));
                producer.send(poison(topic, "dev.rotor.no-such-type.v1", "{}"));
                producer.send(poison(topic, null, "{\"rotationId\":\"x\"}"));
            }
            producer.flush();
        }
        Set<String> dlqs = Set.of("rotor.dlq.orchestrator", "rotor.dlq.secret-sync", "rotor.dlq.notifier",
                "rotor.dlq.reencrypt-worker");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> topics.rotorTopics().containsAll(dlqs) && dlqs.stream()
                        .allMatch(d -> topics.readAll(Set.of(d)).stream().filter(r -> r.key() != null
                                && r.key().startsWith("poison-")).count() >= 3));
        for (String dlq : dlqs) {
            assertThat(topics.readAll(Set.of(dlq))).filteredOn(r -> r.key() != null && r.key().startsWith("poison-"))
                    .allSatisfy(r -> assertThat(r.headersText()).contains("dead-letter-reason="));
        }
        String id = api.rotate("after-poison", "MANUAL", "after poison");
        assertCleanlyRotated("after-poison", id);
    }

    private static ProducerRecord<String, byte[]> poison(String topic, String type, String payload) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(topic, "poison-" + System.nanoTime(),
                payload.getBytes(StandardCharsets.UTF_8));
        if (type != null) {
            r.headers().add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        }
        return r;
    }

    /** COMPLETED, the target holds a new value and the old one as previous, labels agree, milestones in order. */
    private static void assertCleanlyRotated(String secret, String id) throws Exception {
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));
        assertThat(rotation.get("state").asText()).isEqualTo("COMPLETED");
        Map<String, String> env = EnvFile.read(home.resolve(secret + ".env"));
        assertThat(env.get("SECRET")).matches("[0-9a-f]{64}").isNotEqualTo(INITIAL);
        assertThat(env).containsEntry("SECRET_PREVIOUS", INITIAL);
        assertThat(labels("fault/" + secret)).containsExactly("1:previous", "2:current");
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "rotation-completed");
    }

    private static List<String> labels(String storePath) throws Exception {
        List<String> labels = new java.util.ArrayList<>();
        for (JsonNode v : api.versions(storePath)) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }
}
