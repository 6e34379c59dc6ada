package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rotation runs, and is undone, with what it was accepted with. Two rotations are held in UPDATE_SECRET (their Vault
 * field answers 503, which secret-sync retries) after their env file was already written. Meanwhile the catalog
 * changes under them: one entry's env file moves to another path, the other entry is removed; the orchestrator
 * restarts on that catalog. The first rotation's UPDATE_SECRET then fails for good: its rollback must restore the
 * file it was accepted with and leave the new path alone. The second one's Vault recovers: it must complete, although
 * its entry is gone.
 */
class FrozenPlanSystemTest {
    private static final String INITIAL = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String OLD_FILE = "# app\nSECRET=" + INITIAL + "\nSECRET_PREVIOUS=\nPORT=3000\n";
    private static final String NEW_FILE = "# the path the catalog names now\nSECRET=untouched\n";

    @TempDir
    static Path dir;
    static FakeVaultKv vault;
    static RotorSystem system;
    static Api api;
    static Path catalog;

    @BeforeAll
    static void startSystem() throws Exception {
        vault = new FakeVaultKv();
        vault.put("secret/edited", Map.of("SECRET", INITIAL, "MODE", "live"));
        vault.put("secret/removed", Map.of("SECRET", INITIAL, "MODE", "live"));
        Files.writeString(dir.resolve("edited-old.env"), OLD_FILE);
        Files.writeString(dir.resolve("edited-new.env"), NEW_FILE);
        Files.writeString(dir.resolve("removed.env"), OLD_FILE);
        String text = new String(FrozenPlanSystemTest.class.getResourceAsStream("/frozen-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString());
        catalog = Files.writeString(dir.resolve("catalog.yaml"), text);
        Path home = Files.createDirectories(dir.resolve("home"));
        system = new RotorSystem(home, catalog, Map.of(
                "ROTOR_SYNC_VAULT_ADDRESS", vault.address(),
                "ROTOR_SYNC_VAULT_TOKEN", FakeVaultKv.TOKEN,
                // Enough quick retries that the held UPDATE_SECRETs outlast the orchestrator's restart.
                "ROTOR_ORCHESTRATOR_MAX_ATTEMPTS", "30",
                "ROTOR_ORCHESTRATOR_BACKOFF", "1s",
                "ROTOR_ORCHESTRATOR_MAX_BACKOFF", "2s"));
        api = new Api(system);
    }

    @AfterAll
    static void stopSystem() throws Exception {
        if (system != null) {
            system.close();
        }
        if (vault != null) {
            vault.close();
        }
    }

    @Test
    void aRunningRotationKeepsItsPlanWhenTheCatalogChangesOrLosesItsEntry() throws Exception {
        vault.failWrites("secret/edited", 503, null);
        vault.failWrites("secret/removed", 503, null);
        String edited = api.rotate("frozen-edited", "MANUAL", "frozen plan: entry edited");
        String removed = api.rotate("frozen-removed", "MANUAL", "frozen plan: entry removed");
        // Both are in UPDATE_SECRET: the env file (first target) is written, the Vault field refused.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                vaultWriteTried("secret/edited") && vaultWriteTried("secret/removed"));
        assertThat(EnvFile.read(dir.resolve("edited-old.env")).get("SECRET")).isNotEqualTo(INITIAL);

        // The catalog changes under the running rotations, and the orchestrator restarts on it.
        String changed = Files.readString(catalog)
                .replace("edited-old.env", "edited-new.env")
                .replace("      - { type: vault-kv, path: secret/edited, field: SECRET }\n", "");
        changed = changed.substring(0, changed.indexOf("  - id: frozen-removed"))
                + changed.substring(changed.indexOf("notify:\n  channels:"));
        Files.writeString(catalog, changed);
        assertThat(changed).contains("edited-new.env").doesNotContain("frozen-removed", "edited-old.env");
        system.service("orchestrator").kill9();
        system.service("orchestrator").start();
        system.service("orchestrator").awaitReady(Duration.ofSeconds(120));
        assertThat(api.rotation(edited).get("state").asText()).isEqualTo("RUNNING");
        assertThat(api.rotation(removed).get("state").asText()).isEqualTo("RUNNING");

        // The edited entry's UPDATE_SECRET now fails for good (403: no retry); the removed entry's Vault recovers.
        vault.failWrites("secret/edited", null, 403);
        vault.failWrites("secret/removed", null, null);

        JsonNode rolledBack = api.awaitTerminal(edited, Duration.ofSeconds(120));
        assertThat(rolledBack.get("state").asText()).as(rolledBack.toString()).isEqualTo("ROLLED_BACK");
        assertThat(Files.readString(dir.resolve("edited-old.env"))).isEqualTo(OLD_FILE);
        assertThat(Files.readString(dir.resolve("edited-new.env"))).isEqualTo(NEW_FILE);
        assertThat(vault.secret("secret/edited").newest()).containsEntry("SECRET", INITIAL);

        JsonNode completed = api.awaitTerminal(removed, Duration.ofSeconds(120));
        assertThat(completed.get("state").asText()).as(completed.toString()).isEqualTo("COMPLETED");
        Map<String, String> env = EnvFile.read(dir.resolve("removed.env"));
        assertThat(env.get("SECRET")).isNotEqualTo(INITIAL).matches("[0-9a-f]{64}");
        assertThat(env).containsEntry("SECRET_PREVIOUS", INITIAL).containsEntry("PORT", "3000");
        assertThat(vault.secret("secret/removed").newest()).containsEntry("SECRET", env.get("SECRET"))
                .containsEntry("MODE", "live");
    }

    private static boolean vaultWriteTried(String mountAndPath) {
        String dataPath = "/v1/" + mountAndPath.replaceFirst("/", "/data/");
        return vault.requests().stream().anyMatch(r -> r.isDataWrite() && r.url().startsWith(dataPath));
    }
}
