package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole rotation across the four services as real processes, the broker and PostgreSQL real too. The scenario is
 * one story (rotate, let grace expire, rotate in an emergency), so its steps run in order on one system.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DualKeyRotationSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIAL_JWT = "initial-jwt-signing-secret-0123456789abcdef";
    private static final String INITIAL_SESSION = "initial-session-secret-fedcba9876543210";

    @TempDir
    static Path home;
    static Path envFile;
    static HookReceiver hooks;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static final List<String> seenValues = new ArrayList<>();

    @BeforeAll
    static void startSystem() throws Exception {
        hooks = new HookReceiver();
        envFile = home.resolve("app.env");
        Files.writeString(envFile, """
                # app settings, kept as they are by every rotation
                APP_NAME=demo
                JWT_SECRET_CURRENT=%s
                JWT_SECRET_PREVIOUS=
                SESSION_SECRET=%s
                SESSION_SECRET_PREVIOUS=
                LOG_LEVEL=info
                """.formatted(INITIAL_JWT, INITIAL_SESSION));
        seenValues.add(INITIAL_JWT);
        seenValues.add(INITIAL_SESSION);
        String catalog = new String(DualKeyRotationSystemTest.class.getResourceAsStream("/system-catalog.yaml")
                .readAllBytes()).replace("${ENV_FILE}", envFile.toString()).replace("${HOOK_URL}", hooks.url("/hook"));
        Path catalogFile = Files.writeString(home.resolve("catalog.yaml"), catalog);
        system = new RotorSystem(home, catalogFile, Map.of("SLACK_WEBHOOK_URL", hooks.url("/slack")));
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (hooks != null) {
            hooks.close();
        }
    }

    @Test
    @Order(1)
    void dualKeyRotationUpdatesTheEnvFileAndKeepsThePreviousValue() throws Exception {
        String id = api.rotate("jwt-secret", "MANUAL", "quarterly rotation");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(60));

        assertThat(rotation.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(rotation.get("strategy").asText()).isEqualTo("dual-key");
        assertThat(rotation.get("fromVersion").asInt()).isEqualTo(1);
        assertThat(rotation.get("toVersion").asInt()).isEqualTo(2);
        Map<String, String> env = EnvFile.read(envFile);
        String newValue = env.get("JWT_SECRET_CURRENT");
        seenValues.add(newValue);
        assertThat(newValue).isNotEqualTo(INITIAL_JWT).matches("[A-Za-z0-9+/]{86}==");
        assertThat(env).containsEntry("JWT_SECRET_PREVIOUS", INITIAL_JWT).containsEntry("APP_NAME", "demo")
                .containsEntry("SESSION_SECRET", INITIAL_SESSION).containsEntry("LOG_LEVEL", "info");
        assertThat(Files.readAllLines(envFile).get(0)).isEqualTo("# app settings, kept as they are by every rotation");
        assertThat(labels("app/jwt-secret")).containsExactly("1:previous", "2:current");
    }

    @Test
    @Order(2)
    void graceExpiryRetiresThePreviousVersionAndPublishesTheMilestonesInOrder() throws Exception {
        String id = latestRotation("jwt-secret");
        // secret-sync commits the labels first and then rewrites the file: wait for both.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> labels("app/jwt-secret").equals(List.of("1:retired", "2:current"))
                        && "".equals(EnvFile.read(envFile).get("JWT_SECRET_PREVIOUS")));
        assertThat(EnvFile.read(envFile)).containsEntry("JWT_SECRET_CURRENT", seenValues.get(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> topics.milestones(id).contains("previous-retired"));
        assertThat(topics.milestones(id)).containsExactly("rotation-requested", "secret-staged", "secret-updated",
                "rotation-completed", "previous-retired");
    }

    @Test
    @Order(3)
    void webhookAndSlackReceiveEveryMilestoneOnce() throws Exception {
        String id = latestRotation("jwt-secret");
        await().atMost(Duration.ofSeconds(30)).until(() -> hooks.at("/hook").size() >= 5);
        List<JsonNode> events = new ArrayList<>();
        for (HookReceiver.Received r : hooks.at("/hook")) {
            assertThat(r.contentType()).startsWith("application/cloudevents+json");
            events.add(JSON.readTree(r.body()));
        }
        assertThat(events).extracting(e -> e.get("type").asText()).containsExactly(
                "dev.rotor.rotation-requested.v1", "dev.rotor.secret-staged.v1", "dev.rotor.secret-updated.v1",
                "dev.rotor.rotation-completed.v1", "dev.rotor.previous-retired.v1");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("subject").asText()).isEqualTo(id);
            assertThat(e.get("data").get("secretId").asText()).isEqualTo("jwt-secret");
        });
        assertThat(hooks.at("/slack")).hasSize(5);
        assertThat(hooks.at("/slack").get(0).body()).contains("jwt-secret").contains("quarterly rotation");
    }

    @Test
    @Order(4)
    void emergencyRotationClearsThePreviousValueAtOnce() throws Exception {
        String first = api.rotate("session-secret", "MANUAL", "planned");
        assertThat(api.awaitTerminal(first, Duration.ofSeconds(60)).get("state").asText()).isEqualTo("COMPLETED");
        String planned = EnvFile.read(envFile).get("SESSION_SECRET");
        seenValues.add(planned);
        assertThat(EnvFile.read(envFile)).containsEntry("SESSION_SECRET_PREVIOUS", INITIAL_SESSION);

        String id = api.rotate("session-secret", "EMERGENCY", "leaked in git");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(60));

        assertThat(rotation.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(rotation.get("strategy").asText()).isEqualTo("immediate");
        Map<String, String> env = EnvFile.read(envFile);
        seenValues.add(env.get("SESSION_SECRET"));
        assertThat(env.get("SESSION_SECRET")).isNotIn(planned, INITIAL_SESSION).matches("[0-9a-f]{64}");
        assertThat(env).containsEntry("SESSION_SECRET_PREVIOUS", "");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> labels("app/session-secret").equals(List.of("1:retired", "2:retired", "3:current")));
        assertThat(topics.milestones(id)).containsExactly("rotation-requested", "secret-staged", "secret-updated",
                "rotation-completed");

        // The report agrees with the rotation that ran, and carries no value.
        JsonNode report = api.report(id);
        assertThat(report.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(report.get("trigger").asText()).isEqualTo("EMERGENCY");
        assertThat(report.get("reason").asText()).isEqualTo("leaked in git");
        assertThat(report.get("fromVersion").asInt()).isEqualTo(rotation.get("fromVersion").asInt());
        assertThat(report.get("toVersion").asInt()).isEqualTo(rotation.get("toVersion").asInt());
        assertThat(report.get("plan").get("name").asText()).isEqualTo("immediate");
        assertThat(report.get("targets").get(0).get("path").asText()).isEqualTo(envFile.toString());
        assertThat(report.get("targets").get(0).get("variable").asText()).isEqualTo("SESSION_SECRET");
        List<String> timeline = new java.util.ArrayList<>();
        report.get("timeline").forEach(s -> timeline.add(s.get("step").asText() + "/" + s.get("status").asText()));
        assertThat(timeline).containsExactly("STAGE_SECRET/SUCCEEDED", "UPDATE_SECRET/SUCCEEDED");
        List<String> sent = new java.util.ArrayList<>();
        report.get("milestones").forEach(m -> sent.add(m.get("type").asText()));
        assertThat(sent).isEqualTo(topics.milestones(id));
        String updatedAt = null;
        for (JsonNode step : rotation.get("steps")) {
            if (step.get("step").asText().equals("UPDATE_SECRET")) {
                updatedAt = step.get("finishedAt").asText();
            }
        }
        assertThat(report.get("exposure").get("start").asText()).isEqualTo(rotation.get("requestedAt").asText());
        assertThat(report.get("exposure").get("end").asText()).isEqualTo(updatedAt);
        assertThat(report.get("exposure").get("until").asText()).isEqualTo("UPDATE_SECRET");
        String markdown = api.reportMarkdown(id);
        assertThat(markdown).contains("# Rotation " + id, "- **Trigger:** EMERGENCY",
                "- target: env-file " + envFile + " SESSION_SECRET");
        for (String value : seenValues) {
            assertThat(markdown).doesNotContain(value);
            assertThat(report.toString()).doesNotContain(value);
        }
    }

    @Test
    @Order(5)
    void noSecretValueEverReachesKafkaOrALogLine() throws Exception {
        List<TopicReader.Rec> records = topics.readAll(topics.rotorTopics());
        assertThat(records).hasSizeGreaterThan(20);
        String logs = system.allLogs();
        assertThat(logs).contains("jwt-secret");
        assertThat(seenValues).hasSize(5);
        for (String value : seenValues) {
            for (String form : LeakForms.of(value)) {
                assertThat(logs).as("logs must not contain a form of a secret value").doesNotContain(form);
                for (TopicReader.Rec r : records) {
                    assertThat(r.text()).as("record on %s must not contain a secret value", r.topic())
                            .doesNotContain(form);
                }
            }
        }
    }

    private static List<String> labels(String storePath) throws Exception {
        List<String> labels = new ArrayList<>();
        for (JsonNode v : api.versions(storePath)) {
            assertThat(v.has("value")).as("versions endpoint must never return a value").isFalse();
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }

    private static String latestRotation(String secretId) throws Exception {
        for (JsonNode r : api.list()) {
            if (r.get("secretId").asText().equals(secretId)) {
                return r.get("id").asText();
            }
        }
        throw new AssertionError("no rotation of " + secretId);
    }
}
