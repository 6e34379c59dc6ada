package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rotor.local.PgServer;
import dev.rotor.local.PostgresResource;
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
 * Keys in Vault across the real services: an {@code offline-reencrypt} of a Lockbox table whose master key lives in
 * the {@code vault} store. secret-sync writes the new key as a KV version of {@link FakeVaultKv}; reencrypt-worker,
 * with its own {@code ROTOR_REENCRYPT_VAULT_*} settings and a read-only token, reads both versions from there.
 */
class VaultReencryptSystemTest {
    private static final int ROWS = 2000;

    @TempDir
    static Path dir;
    static FakeVaultKv vault;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;
    static LockboxRows tooljet;
    static String initialKey = LockboxRows.newHexKey();

    @BeforeAll
    static void startSystem() throws Exception {
        vault = new FakeVaultKv();
        PgServer pg = PostgresResource.server();
        String db = "vault_tooljet_" + Long.toHexString(System.nanoTime());
        pg.createDatabase(db);
        tooljet = new LockboxRows(pg.jdbcUrl(db), pg.user(), pg.password());
        tooljet.seed(initialKey, ROWS);
        Files.writeString(dir.resolve("tooljet.env"), "LOCKBOX_MASTER_KEY=" + initialKey + "\nPG_HOST=db\n");
        String catalog = new String(VaultReencryptSystemTest.class.getResourceAsStream("/vault-reencrypt-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString());
        Path home = Files.createDirectories(dir.resolve("home"));
        system = new RotorSystem(home, Files.writeString(dir.resolve("catalog.yaml"), catalog), Map.of(
                "ROTOR_SYNC_VAULT_ADDRESS", vault.address(),
                "ROTOR_SYNC_VAULT_TOKEN", FakeVaultKv.TOKEN,
                "ROTOR_REENCRYPT_VAULT_ADDRESS", vault.address(),
                "ROTOR_REENCRYPT_VAULT_TOKEN", FakeVaultKv.READER_TOKEN,
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_URL", tooljet.jdbcUrl,
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_USERNAME", pg.user(),
                "ROTOR_REENCRYPT_DATASOURCES_TOOLJET_PASSWORD", pg.password()));
        api = new Api(system);
        topics = new TopicReader(system.bootstrap);
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
    void theWorkerReadsTheNewKeySecretSyncWroteToVaultAndEveryRowFollows() throws Exception {
        String id = api.rotate("vault-lockbox-key", "MANUAL", "quarterly");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(120));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        FakeVaultKv.Secret store = vault.secret("secret/tooljet/lockbox-master-key");
        assertThat(store.data).hasSize(2);
        assertThat(store.data.get(0)).containsExactly(Map.entry("value", initialKey));
        String newKey = store.data.get(1).get("value");
        assertThat(newKey).matches("[0-9a-f]{64}").isNotEqualTo(initialKey);
        assertThat(EnvFile.read(dir.resolve("tooljet.env"))).containsEntry("LOCKBOX_MASTER_KEY", newKey)
                .containsEntry("PG_HOST", "db");
        assertThat(tooljet.decryptingUnder(newKey)).isEqualTo(ROWS);
        assertThat(tooljet.decryptingUnder(initialKey)).isZero();
        // The worker, with its read-only token, read the step's two versions from Vault and asked for nothing else.
        assertThat(vault.requests().stream().filter(FakeVaultKv.Req::reader).map(Object::toString).distinct())
                .containsExactlyInAnyOrder("GET /v1/secret/data/tooljet/lockbox-master-key?version=1",
                        "GET /v1/secret/data/tooljet/lockbox-master-key?version=2");
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "traffic-drained", "reencrypted", "secret-updated", "traffic-restored", "rotation-completed");
        assertThat(system.allLogs()).doesNotContain(newKey, initialKey, FakeVaultKv.TOKEN,
                FakeVaultKv.READER_TOKEN);
    }
}
