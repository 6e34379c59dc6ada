package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.local.KafkaPrincipals;
import dev.rotor.local.KafkaResource;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.MessageCodec;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.contracts.signing.MessageSignatures;
import dev.rotor.contracts.signing.MessageSigner;
import dev.rotor.contracts.signing.SigningKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer with valid Kafka access but no valid signature writes {@code step-requested} commands that push the live
 * secret to an env file of its choosing: unsigned, signed with its own key, signed with its own key while claiming
 * the orchestrator's key id, and a genuine signed command with the target swapped. secret-sync, the owner of their
 * step, dead-letters all of them, and the files, the store and the orchestrator's rows stay as they were; the
 * re-encryption worker passes over them on their step hint, and dead-letters forged commands of its own step and of a
 * step no worker owns (which secret-sync dead-letters too). A worker with no key to check commands against does not
 * start.
 */
class ForgedCommandSystemTest {
    private static final String INITIAL = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    static Path home;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;

    @BeforeAll
    static void startSystem() throws Exception {
        Files.writeString(home.resolve("app.env"), "SECRET=" + INITIAL + "\nSECRET_PREVIOUS=\n");
        String catalog = new String(ForgedCommandSystemTest.class.getResourceAsStream("/forged-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), Map.of());
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
    void commandsWithoutTheOrchestratorsSignatureAreDeadLetteredAndChangeNothing() throws Exception {
        String id = api.rotate("forged-target", "MANUAL", "a genuine rotation first");
        assertThat(api.awaitTerminal(id, Duration.ofSeconds(120)).get("state").asText()).isEqualTo("COMPLETED");
        Path appEnv = home.resolve("app.env");
        Path stolen = home.resolve("stolen.env");
        String envBefore = Files.readString(appEnv);
        JsonNode versionsBefore = api.versions("forged/app-secret");
        JsonNode rotationsBefore = api.list();
        TopicReader.Rec genuine = topics.readAll(Set.of(Topics.STEP_COMMANDS)).stream()
                .filter(r -> id.equals(r.key()) && ((StepRequested) KafkaEnvelope.read(r.headers(), r.value())).step()
                        == Step.UPDATE_SECRET).findFirst().orElseThrow();
        String orchestratorKeyId = header(genuine, MessageSignatures.KEY_ID);

        StepRequested steal = new StepRequested(UUID.fromString(id), Step.UPDATE_SECRET, 7, Direction.FORWARD,
                new StepSpec("forged-target", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                        new GeneratorSpec("hex", 32, null, null), new StoreRef("local", "forged/app-secret", null),
                        List.of(new TargetSpec("env-file", stolen.toString(), "STOLEN", null, null)), null, null, 1,
                        2, true, false),
                Instant.now());
        byte[] payload = MessageCodec.encode(steal);
        MessageSigner attacker = MessageSigner.of(SigningKeys.generate().getPrivate());
        Headers unsigned = headers(steal);
        Headers ownKey = headers(steal);
        attacker.sign(ownKey, payload);
        Headers claimedKey = headers(steal);
        attacker.sign(claimedKey, payload);
        claimedKey.remove(MessageSignatures.KEY_ID);
        claimedKey.add(MessageSignatures.KEY_ID, orchestratorKeyId.getBytes(StandardCharsets.US_ASCII));
        byte[] swapped = MessageCodec.encode(retargeted((StepRequested) KafkaEnvelope.read(genuine.headers(),
                genuine.value()), stolen));

        // The attacker holds the orchestrator's own broker credentials (the broker lets it write step-commands), but
        // not its signing key: only the signature stands between it and the workers.
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaResource.clientConfig(KafkaPrincipals.ORCHESTRATOR), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, id, payload, unsigned)).get();
            producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, id, payload, ownKey)).get();
            producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, id, payload, claimedKey)).get();
            producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, id, swapped, genuine.headers())).get();
            // Then, on the same partition: a forged command of the re-encryption worker's step, and one of a step no
            // worker owns. Each service reads a partition in order, so once both have dead-lettered the last one
            // they have read every one before it.
            for (Step step : List.of(Step.REENCRYPT, Step.DRAIN_TRAFFIC)) {
                StepRequested forged = new StepRequested(steal.rotationId(), step, 7, Direction.FORWARD,
                        steal.spec(), Instant.now());
                producer.send(new ProducerRecord<>(Topics.STEP_COMMANDS, null, id, MessageCodec.encode(forged),
                        headers(forged))).get();
            }
        }

        // Each forged command is dead-lettered by the owner of the step its (unsigned) hint names, and a command of
        // a step no worker owns by both; the other worker passes over it unread.
        Map<String, List<String>> expected = Map.of(
                Topics.dlq("secret-sync"), List.of("unsigned", "unknown key", "bad signature", "bad signature",
                        "unsigned"),
                Topics.dlq("reencrypt-worker"), List.of("unsigned", "unsigned"));
        for (var dlq : expected.entrySet()) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> reasons(dlq.getKey(), id).size() >= dlq.getValue().size());
            assertThat(reasons(dlq.getKey(), id).stream().map(r -> r.substring(0, r.indexOf(':')))).as(dlq.getKey())
                    .containsExactlyInAnyOrderElementsOf(dlq.getValue());
        }
        assertThat(stolen).doesNotExist();
        assertThat(Files.readString(appEnv)).isEqualTo(envBefore);
        assertThat(api.versions("forged/app-secret")).isEqualTo(versionsBefore);
        assertThat(api.list()).isEqualTo(rotationsBefore);
        assertThat(topics.readAll(Set.of(Topics.STEP_RESULTS))).filteredOn(r -> id.equals(r.key()))
                .noneMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("\"attempt\":7"));
        assertThat(system.service("secret-sync").logText()).contains("unsigned: ").doesNotContain(stolen.toString());
    }

    @Test
    void aWorkerWithoutTheOrchestratorsPublicKeyRefusesToStartNamingTheSetting() throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", system.bootstrap,
                "ROTOR_HOME", home.resolve("unkeyed").toString()));
        int port = RotorSystem.freePort();
        env.put("ROTOR_SECRET_SYNC_PORT", Integer.toString(port));
        Path logs = RotorSystem.logDir();
        try (ServiceProcess unkeyed = new ServiceProcess("secret-sync", Path.of("../..").toAbsolutePath().normalize(),
                port, logs, env)) {
            unkeyed.start();
            assertThatThrownBy(() -> unkeyed.awaitReady(Duration.ofSeconds(120)))
                    .hasMessageContaining("secret-sync exited with");
            assertThat(unkeyed.logText()).contains("rotor.signing.command-verify-key is not set");
        }
    }

    private static Headers headers(StepRequested command) {
        return KafkaEnvelope.headers(command, UUID.randomUUID(), "/rotor/orchestrator", Instant.now());
    }

    private static StepRequested retargeted(StepRequested c, Path file) {
        StepSpec s = c.spec();
        StepSpec spec = new StepSpec(s.secretId(), s.kind(), s.strategy(), s.generator(), s.store(),
                List.of(new TargetSpec("env-file", file.toString(), "STOLEN", null, null)), s.credential(),
                s.reencrypt(), s.fromVersion(), s.toVersion(), s.keepPrevious(), s.dryRun());
        return new StepRequested(c.rotationId(), c.step(), c.attempt(), c.direction(), spec, c.requestedAt());
    }

    private static List<String> reasons(String dlq, String key) {
        return topics.readAll(Set.of(dlq)).stream().filter(r -> key.equals(r.key()))
                .map(r -> header(r, "dead-letter-reason")).toList();
    }

    private static String header(TopicReader.Rec r, String name) {
        return KafkaEnvelope.header(r.headers(), name);
    }
}
