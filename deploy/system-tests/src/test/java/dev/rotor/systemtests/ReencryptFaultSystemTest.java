package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes in the middle of a re-encryption, and a compensation that cannot run. Each ends in one clean state: every
 * row decrypts to its original plaintext under the key the target now holds, and no pending version is left.
 */
class ReencryptFaultSystemTest {
    private static final int ROWS = 120_000;

    @TempDir
    static Path home;
    static MaintenanceEndpoint maintenance;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static final Map<String, LockboxRows> tables = new HashMap<>();
    static final Map<String, String> initialKeys = new HashMap<>();

    @BeforeAll
    static void startSystem() throws Exception {
        maintenance = new MaintenanceEndpoint();
        PgServer pg = PostgresResource.server();
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("online", "offline", "stuck")) {
            String db = name + "_" + Long.toHexString(System.nanoTime());
            pg.createDatabase(db);
            LockboxRows rows = new LockboxRows(pg.jdbcUrl(db), pg.user(), pg.password());
            String key = LockboxRows.newHexKey();
            rows.seed(key, name.equals("stuck") ? 2_000 : ROWS);
            tables.put(name, rows);
            initialKeys.put(name, key);
            Files.writeString(home.resolve(name + ".env"), "LOCKBOX_MASTER_KEY=" + key + "\n");
            String prefix = "ROTOR_REENCRYPT_DATASOURCES_" + name.toUpperCase() + "_";
            env.put(prefix + "URL", rows.jdbcUrl);
            env.put(prefix + "USERNAME", pg.user());
            env.put(prefix + "PASSWORD", pg.password());
        }
        String catalog = new String(ReencryptFaultSystemTest.class.getResourceAsStream("/reencrypt-fault-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", home.toString())
                .replace("${MAINTENANCE_REFUSING}", maintenance.url(true))
                .replace("${MAINTENANCE}", maintenance.url(false));
        env.put("ROTOR_ORCHESTRATOR_STEP_TIMEOUT", "20s");
        system = new RotorSystem(home, Files.writeString(home.resolve("catalog.yaml"), catalog), env);
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (maintenance != null) {
            maintenance.close();
        }
    }

    @Test
    void workerKilledDuringAnOnlineReencryptionCompletesAfterRestart() throws Exception {
        String id = api.rotate("online-worker-crash", "MANUAL", "fault: worker crash");
        awaitReencryptProgress(id);
        system.service("reencrypt-worker").kill9();
        system.service("reencrypt-worker").start();
        system.service("reencrypt-worker").awaitReady(Duration.ofSeconds(120));

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(240));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        Map<String, String> env = EnvFile.read(home.resolve("online.env"));
        assertThat(env).containsEntry("LOCKBOX_MASTER_KEY_PREVIOUS", initialKeys.get("online"));
        assertThat(tables.get("online").decryptingUnder(env.get("LOCKBOX_MASTER_KEY"))).isEqualTo(ROWS);
        assertThat(labels("faults/online-worker-crash")).containsExactly("1:previous", "2:current");
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "reencrypted", "rotation-completed");
    }

    @Test
    void orchestratorKilledDuringReencryptCompletesAfterRestart() throws Exception {
        String id = api.rotate("offline-orchestrator-crash", "MANUAL", "fault: orchestrator crash");
        awaitReencryptProgress(id);
        system.service("orchestrator").kill9();
        system.service("orchestrator").start();
        system.service("orchestrator").awaitReady(Duration.ofSeconds(120));

        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(240));
        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        String key = EnvFile.read(home.resolve("offline.env")).get("LOCKBOX_MASTER_KEY");
        assertThat(key).isNotEqualTo(initialKeys.get("offline"));
        assertThat(tables.get("offline").decryptingUnder(key)).isEqualTo(ROWS);
        assertThat(labels("faults/offline-orchestrator-crash")).containsExactly("1:previous", "2:current");
        assertThat(maintenance.callsFor(id)).extracting(MaintenanceEndpoint.Call::maintenance)
                .first().isEqualTo(true);
        assertThat(maintenance.callsFor(id)).extracting(MaintenanceEndpoint.Call::maintenance).last().isEqualTo(false);
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "traffic-drained", "reencrypted", "secret-updated", "traffic-restored", "rotation-completed");
    }

    @Test
    void aCompensationThatCannotRunEndsFailedWithTheManualStepsRecorded() throws Exception {
        String id = api.rotate("stuck-in-maintenance", "MANUAL", "fault: app refuses to leave maintenance");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(240));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("FAILED");
        assertThat(tables.get("stuck").decryptingUnder(initialKeys.get("stuck"))).isEqualTo(2_000);
        assertThat(EnvFile.read(home.resolve("stuck.env"))).containsEntry("LOCKBOX_MASTER_KEY",
                initialKeys.get("stuck"));
        List<String> steps = new ArrayList<>();
        rotation.get("manualSteps").forEach(s -> steps.add(s.asText()));
        assertThat(String.join("\n", steps)).contains("maintenance").contains(maintenance.url(true))
                .contains("pending version 2");
        assertThat(maintenance.callsFor(id)).extracting(MaintenanceEndpoint.Call::answered).contains(500);
        assertThat(topics.distinctMilestones(id)).contains("compensation-started", "rotation-failed")
                .doesNotContain("rotation-completed", "rotation-rolled-back");
    }

    private static void awaitReencryptProgress(String id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode p = api.rotation(id).path("progress");
            return p.path("step").asText().equals("REENCRYPT") && p.path("done").asLong() > 0;
        });
    }

    private static List<String> labels(String storePath) throws Exception {
        List<String> labels = new ArrayList<>();
        for (JsonNode v : api.versions(storePath)) {
            labels.add(v.get("version").asInt() + ":" + v.get("label").asText());
        }
        return labels;
    }
}
