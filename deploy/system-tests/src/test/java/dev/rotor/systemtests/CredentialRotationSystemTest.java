package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code credential} plan (STAGE → APPLY_CREDENTIAL → UPDATE) across the real services, on real roles of the test
 * JVM's PostgreSQL whose passwords are really checked (scram-sha-256, see {@link ScramRoles}); and its rollback when
 * UPDATE_SECRET fails after the password was changed. secret-sync's admin connection is
 * {@code ROTOR_SYNC_DATASOURCES_APPDB_URL|USERNAME|PASSWORD}.
 */
class CredentialRotationSystemTest {
    private static final String APP_ROLE = "rotor_app_user";
    private static final String BILLING_ROLE = "rotor_billing_user";
    private static final String REPORTS_ROLE = "rotor_reports_user";
    private static final String APP_INITIAL = "app-Initial-Passw0rd-1234";
    private static final String BILLING_INITIAL = "billing-Initial-Passw0rd-5678";
    private static final String REPORTS_INITIAL = "reports-Initial-Passw0rd-9012";
    /** A file name that reads, but whose temp file ({@code .<name>.<random>.tmp}) is longer than NAME_MAX (255). */
    private static final String LONG_ENV = "billing-" + "x".repeat(236) + ".env";

    @TempDir
    static Path dir;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;

    @BeforeAll
    static void startSystem() throws Exception {
        PgServer pg = ScramRoles.server();
        ScramRoles.createRole(APP_ROLE, APP_INITIAL);
        ScramRoles.createRole(BILLING_ROLE, BILLING_INITIAL);
        ScramRoles.createRole(REPORTS_ROLE, REPORTS_INITIAL);
        Files.writeString(dir.resolve("app.env"), "# app\nPOSTGRES_USER=" + APP_ROLE + "\nPOSTGRES_PASSWORD="
                + APP_INITIAL + "\n");
        Files.writeString(dir.resolve("billing.env"), "POSTGRES_PASSWORD=" + BILLING_INITIAL + "\n");
        Files.writeString(dir.resolve(LONG_ENV), "POSTGRES_PASSWORD=" + BILLING_INITIAL + "\n");
        Files.writeString(dir.resolve("reports.env"), "POSTGRES_PASSWORD=" + REPORTS_INITIAL + "\n");
        String catalog = new String(CredentialRotationSystemTest.class.getResourceAsStream("/credential-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString()).replace("${LONG_ENV}", LONG_ENV);
        Path home = Files.createDirectories(dir.resolve("home"));
        system = new RotorSystem(home, Files.writeString(dir.resolve("catalog.yaml"), catalog), Map.of(
                "ROTOR_SYNC_DATASOURCES_APPDB_URL", ScramRoles.url(pg),
                "ROTOR_SYNC_DATASOURCES_APPDB_USERNAME", pg.user(),
                "ROTOR_SYNC_DATASOURCES_APPDB_PASSWORD", pg.password()));
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
    void theServerReallyRefusesAWrongPasswordForTheTestRoles() throws Exception {
        ScramRoles.createRole("rotor_probe_user", "right-Passw0rd-probe");
        assertThat(ScramRoles.login("rotor_probe_user", "right-Passw0rd-probe")).isNull();
        assertThat(ScramRoles.login("rotor_probe_user", "wrong-Passw0rd-probe")).isEqualTo("28P01");
        assertThat(ScramRoles.verifier("rotor_probe_user")).startsWith("SCRAM-SHA-256$4096:");
    }

    @Test
    void aCredentialRotationChangesTheRolesPasswordAndTheEnvFile() throws Exception {
        assertThat(ScramRoles.login(APP_ROLE, APP_INITIAL)).isNull();
        assertThat(ScramRoles.login(APP_ROLE, "not-" + APP_INITIAL)).isEqualTo("28P01");

        String id = api.rotate("app-db-password", "MANUAL", "90-day rotation");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(60));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        assertThat(rotation.get("strategy").asText()).isEqualTo("credential");
        assertThat(rotation.get("fromVersion").asInt()).as("the .env's password adopted as version 1").isEqualTo(1);
        assertThat(rotation.get("toVersion").asInt()).isEqualTo(2);
        Map<String, String> env = EnvFile.read(dir.resolve("app.env"));
        String newPassword = env.get("POSTGRES_PASSWORD");
        assertThat(newPassword).hasSize(32).isNotEqualTo(APP_INITIAL).doesNotContain("/", "+", "=", "$");
        assertThat(env).containsEntry("POSTGRES_USER", APP_ROLE);
        assertThat(Files.readAllLines(dir.resolve("app.env")).get(0)).isEqualTo("# app");

        assertThat(ScramRoles.login(APP_ROLE, newPassword)).as("the new password logs in").isNull();
        assertThat(ScramRoles.login(APP_ROLE, APP_INITIAL)).as("the old password is refused").isEqualTo("28P01");
        assertThat(ScramRoles.verifier(APP_ROLE)).startsWith("SCRAM-SHA-256$4096:");
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "credential-applied", "secret-updated", "rotation-completed");
        assertThat(system.allLogs()).doesNotContain(newPassword, APP_INITIAL);
    }

    @Test
    void aFailedUpdateAfterTheNewPasswordWasSetRestoresTheOldPassword() throws Exception {
        String before = ScramRoles.verifier(BILLING_ROLE);
        // The first .env holds the new password between UPDATE_SECRET's first attempt and its compensation.
        Set<String> seen = new LinkedHashSet<>();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
            while (!done.get()) {
                try {
                    seen.add(EnvFile.read(dir.resolve("billing.env")).get("POSTGRES_PASSWORD"));
                    Thread.sleep(20);
                } catch (Exception e) {
                    // a read between rename and fsync: try again
                }
            }
        });
        String id = api.rotate("billing-db-password", "MANUAL", "doomed");
        JsonNode rotation;
        try {
            rotation = api.awaitTerminal(id, Duration.ofSeconds(90));
        } finally {
            done.set(true);
            watcher.join();
        }

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(rotation.get("error").asText()).startsWith("cannot write env file " + dir.resolve(LONG_ENV));
        assertThat(steps(rotation)).containsExactly("STAGE_SECRET FORWARD SUCCEEDED",
                "APPLY_CREDENTIAL FORWARD SUCCEEDED", "UPDATE_SECRET FORWARD FAILED",
                "UPDATE_SECRET COMPENSATE COMPENSATED", "APPLY_CREDENTIAL COMPENSATE COMPENSATED",
                "STAGE_SECRET COMPENSATE COMPENSATED");
        seen.remove(BILLING_INITIAL);
        seen.remove(null);
        assertThat(seen).as("the new password was pushed to billing.env before the failure").hasSize(1);
        String newPassword = seen.iterator().next();
        assertThat(newPassword).hasSize(32);

        assertThat(ScramRoles.login(BILLING_ROLE, BILLING_INITIAL)).as("the old password works again").isNull();
        assertThat(ScramRoles.login(BILLING_ROLE, newPassword)).as("the new password is refused").isEqualTo("28P01");
        assertThat(ScramRoles.verifier(BILLING_ROLE)).as("set again by the compensation").isNotEqualTo(before);
        assertThat(EnvFile.read(dir.resolve("billing.env"))).containsEntry("POSTGRES_PASSWORD", BILLING_INITIAL);
        assertThat(EnvFile.read(dir.resolve(LONG_ENV))).containsEntry("POSTGRES_PASSWORD", BILLING_INITIAL);
        assertThat(topics.commandsFor(id)).contains("APPLY_CREDENTIAL/FORWARD", "UPDATE_SECRET/FORWARD",
                "UPDATE_SECRET/COMPENSATE", "APPLY_CREDENTIAL/COMPENSATE", "STAGE_SECRET/COMPENSATE");
        assertThat(topics.distinctMilestones(id)).contains("credential-applied", "compensation-started",
                "rotation-rolled-back").doesNotContain("secret-updated", "rotation-completed");
        assertThat(system.allLogs()).doesNotContain(newPassword, BILLING_INITIAL);
    }

    @Test
    void aMissingEnvDirectoryAfterTheNewPasswordWasSetRestoresTheOldPassword() throws Exception {
        String before = ScramRoles.verifier(REPORTS_ROLE);
        String id = api.rotate("reports-db-password", "MANUAL", "doomed");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(rotation.get("error").asText())
                .isEqualTo("env file " + dir.resolve("no-such-dir/app.env") + " does not exist");
        assertThat(steps(rotation)).containsExactly("STAGE_SECRET FORWARD SUCCEEDED",
                "APPLY_CREDENTIAL FORWARD SUCCEEDED", "UPDATE_SECRET FORWARD FAILED",
                "UPDATE_SECRET COMPENSATE COMPENSATED", "APPLY_CREDENTIAL COMPENSATE COMPENSATED",
                "STAGE_SECRET COMPENSATE COMPENSATED");
        assertThat(ScramRoles.login(REPORTS_ROLE, REPORTS_INITIAL)).as("the old password works again").isNull();
        // The new password never left secret-sync (UPDATE_SECRET failed before writing any target); the role has one
        // password, the old one, and a new verifier shows it was changed and set again.
        assertThat(ScramRoles.verifier(REPORTS_ROLE)).isNotEqualTo(before);
        assertThat(EnvFile.read(dir.resolve("reports.env"))).containsEntry("POSTGRES_PASSWORD", REPORTS_INITIAL);
        assertThat(Files.exists(dir.resolve("no-such-dir"))).isFalse();
        assertThat(topics.commandsFor(id)).contains("APPLY_CREDENTIAL/FORWARD", "APPLY_CREDENTIAL/COMPENSATE",
                "STAGE_SECRET/COMPENSATE");
        assertThat(topics.distinctMilestones(id)).contains("credential-applied", "rotation-rolled-back")
                .doesNotContain("rotation-completed");
    }

    /** The rotation's step records, as {@code STEP DIRECTION STATUS}, in order. */
    private static List<String> steps(JsonNode rotation) {
        List<String> out = new ArrayList<>();
        rotation.get("steps").forEach(s -> out.add(s.get("step").asText() + " " + s.get("direction").asText() + " "
                + s.get("status").asText()));
        return out;
    }
}
