package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.KafkaEnvelope;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.Topics;
import dev.rotor.local.KafkaCredentials;
import dev.rotor.local.KafkaPrincipals;
import dev.rotor.local.KafkaResource;
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
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forged commands at the broker: a process that can reach the broker but holds no service's credentials, or holds only
 * a service's that may not send commands, cannot put a {@code step-requested} on {@code rotor.step-commands}, so
 * secret-sync never sees it and the env file and the store stay as they were. (The signature check behind this is
 * another test's subject.)
 */
class KafkaAuthSystemTest {
    private static final String INITIAL = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    static Path home;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static Path envFile;

    @BeforeAll
    static void startSystem() throws Exception {
        assumeTrue(KafkaResource.embedded() != null, "only the embedded broker's credentials are known to the test");
        envFile = Files.writeString(home.resolve("app.env"), "APP=demo\nSECRET=" + INITIAL + "\nSECRET_PREVIOUS=\n");
        String catalog = new String(KafkaAuthSystemTest.class.getResourceAsStream("/kafka-auth-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString());
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), Map.of());
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
        // One real rotation first, so the store has versions and labels a forged command could disturb.
        String id = api.rotate("app-secret", "MANUAL", "before the forgery");
        assertThat(api.awaitTerminal(id, Duration.ofSeconds(90)).get("state").asText()).isEqualTo("COMPLETED");
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void forgedCommandsWithoutOrWithWrongCredentialsNeverReachTheWorkers() throws Exception {
        String envBefore = Files.readString(envFile);
        JsonNode versionsBefore = api.versions("kafka-auth/app-secret");
        Path attackerFile = home.resolve("attacker.env");
        UUID forged = UUID.randomUUID();
        String orchestratorPassword = KafkaResource.embedded().credentials().password(KafkaPrincipals.ORCHESTRATOR);
        String wrongPassword = "Forged" + UUID.randomUUID().toString().replace("-", "");

        Throwable noCredentials = forge(forged, attackerFile, Map.of("bootstrap.servers", system.bootstrap));
        Throwable wrongOrchestratorPassword = forge(forged, attackerFile,
                sasl(KafkaPrincipals.ORCHESTRATOR, wrongPassword));
        Throwable unknownUser = forge(forged, attackerFile, sasl("attacker", orchestratorPassword));
        Throwable notifierPrincipal = forge(forged, attackerFile, KafkaResource.clientConfig(KafkaPrincipals.NOTIFIER));
        Throwable workerPrincipal = forge(forged, attackerFile,
                KafkaResource.clientConfig(KafkaPrincipals.SECRET_SYNC));

        assertThat(noCredentials).isInstanceOf(TimeoutException.class);
        assertThat(wrongOrchestratorPassword).isInstanceOf(SaslAuthenticationException.class);
        assertThat(unknownUser).isInstanceOf(SaslAuthenticationException.class);
        assertThat(notifierPrincipal).isInstanceOf(TopicAuthorizationException.class);
        assertThat(workerPrincipal).isInstanceOf(TopicAuthorizationException.class);
        assertThat(topics.readAll(Set.of(Topics.STEP_COMMANDS))).noneMatch(r -> forged.toString().equals(r.key()));
        assertThat(Files.exists(attackerFile)).isFalse();
        assertThat(Files.readString(envFile)).isEqualTo(envBefore);
        assertThat(api.versions("kafka-auth/app-secret")).isEqualTo(versionsBefore);
        assertThat(labels()).containsExactly("1:previous", "2:current");
        String logs = system.allLogs();
        for (String service : KafkaPrincipals.SERVICES) {
            assertThat(logs).doesNotContain(KafkaResource.embedded().credentials().password(service));
        }
    }

    /** Tries to send a step-requested that would write the live value to the attacker's file; returns the refusal. */
    private static Throwable forge(UUID rotation, Path attackerFile, Map<String, Object> clientConfig) {
        StepSpec spec = new StepSpec("app-secret", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("hex", 32, null, null), new StoreRef("local", "kafka-auth/app-secret", null),
                List.of(new TargetSpec("env-file", attackerFile.toString(), "STOLEN", null, null, null)), null, null, 2,
                null, true, false);
        StepRequested command = new StepRequested(rotation, Step.UPDATE_SECRET, 1, Direction.FORWARD, spec,
                Instant.now());
        Map<String, Object> config = new HashMap<>(clientConfig);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000);
        Throwable thrown = catchThrowable(() -> {
            try (var producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(KafkaEnvelope.record(Topics.STEP_COMMANDS, command, "/rotor/orchestrator")).get();
            }
        });
        assertThat(thrown).as("the broker accepted a forged command").isNotNull();
        return thrown instanceof ExecutionException ? thrown.getCause() : thrown;
    }

    private static Map<String, Object> sasl(String user, String password) {
        Map<String, Object> config = new HashMap<>(KafkaResource.clientConfig(KafkaPrincipals.ORCHESTRATOR));
        config.put("sasl.jaas.config", KafkaCredentials.jaas(user, password));
        return config;
    }

    private static List<String> labels() throws Exception {
        List<String> labels = new java.util.ArrayList<>();
        for (JsonNode v : api.versions("kafka-auth/app-secret")) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }
}
