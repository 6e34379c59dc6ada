package dev.rotor.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A secret stored in Vault (KV v2), rotated across the real services: the Vault store, a {@code vault-kv} target and an
 * {@code .env} target in one saga; and a failure at an {@code .env} target after the {@code vault-kv} one, which rolls
 * the Vault labels and the target field back. Vault is {@link FakeVaultKv}, in this JVM; secret-sync reaches it through
 * {@code ROTOR_SYNC_VAULT_ADDRESS} / {@code ROTOR_SYNC_VAULT_TOKEN}.
 */
class VaultRotationSystemTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INITIAL_JWT = "initial-jwt-secret-0123456789abcdef0123";
    private static final String INITIAL_BILLING = "initial-billing-token-fedcba9876543210";
    private static final String INITIAL_WEBHOOK = "initial-webhook-key-00112233445566778899";
    /** A file name that reads, but whose temp file ({@code .<name>.<random>.tmp}) is longer than NAME_MAX (255). */
    private static final String LONG_ENV = "billing-" + "x".repeat(236) + ".env";

    @TempDir
    static Path dir;
    static FakeVaultKv vault;
    static RotorSystem system;
    static Api api;
    static TopicReader topics;

    @BeforeAll
    static void startSystem() throws Exception {
        vault = new FakeVaultKv();
        vault.put("secret/tooljet", Map.of("JWT_SECRET", INITIAL_JWT, "DATABASE_URL", "postgres://db/tooljet"));
        vault.put("secret/billing", Map.of("API_TOKEN", INITIAL_BILLING, "REGION", "eu-west-1"));
        vault.put("secret/payments", Map.of("WEBHOOK_KEY", INITIAL_WEBHOOK, "MODE", "live"));
        Files.writeString(dir.resolve("app.env"), "# app\nJWT_SECRET=" + INITIAL_JWT + "\nJWT_SECRET_PREVIOUS=\nPORT=3000\n");
        Files.writeString(dir.resolve(LONG_ENV), "API_TOKEN=" + INITIAL_BILLING + "\n");
        String catalog = new String(VaultRotationSystemTest.class.getResourceAsStream("/vault-catalog.yaml")
                .readAllBytes(), StandardCharsets.UTF_8).replace("${DIR}", dir.toString()).replace("${LONG_ENV}", LONG_ENV);
        Path home = Files.createDirectories(dir.resolve("home"));
        system = new RotorSystem(home, Files.writeString(dir.resolve("catalog.yaml"), catalog), Map.of(
                "ROTOR_SYNC_VAULT_ADDRESS", vault.address(),
                "ROTOR_SYNC_VAULT_TOKEN", FakeVaultKv.TOKEN));
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
    void oneSagaUpdatesTheVaultStoreTheVaultKvFieldAndTheEnvFile() throws Exception {
        String id = api.rotate("vault-jwt", "MANUAL", "quarterly");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(60));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("COMPLETED");
        assertThat(rotation.get("strategy").asText()).isEqualTo("dual-key");
        assertThat(rotation.get("fromVersion").asInt()).isEqualTo(1);
        assertThat(rotation.get("toVersion").asInt()).isEqualTo(2);

        // The store: version 1 adopted from the .env (the first target), version 2 generated.
        FakeVaultKv.Secret store = vault.secret("secret/app/jwt");
        assertThat(store.data).hasSize(2);
        assertThat(store.data.get(0)).containsExactly(Map.entry("value", INITIAL_JWT));
        String newValue = store.data.get(1).get("value");
        assertThat(store.data.get(1)).containsOnlyKeys("value");
        assertThat(newValue).matches("[A-Za-z0-9+/]{43}=").isNotEqualTo(INITIAL_JWT);
        assertThat(store.state).containsExactly("", "");
        assertThat(labels(store)).containsExactly(Map.entry("rotor.current", "2"), Map.entry("rotor.previous", "1"),
                Map.entry("v1", "previous"), Map.entry("v2", "current"));
        assertThat(store.custom.toString()).doesNotContain(newValue, INITIAL_JWT);

        // The vault-kv target: one new version, the field changed, the app's other field kept.
        FakeVaultKv.Secret tooljet = vault.secret("secret/tooljet");
        assertThat(tooljet.data).hasSize(2);
        assertThat(tooljet.newest()).isEqualTo(Map.of("JWT_SECRET", newValue, "DATABASE_URL", "postgres://db/tooljet"));

        // The .env target: the new value, the previous value, the other lines as they were.
        assertThat(Files.readString(dir.resolve("app.env"))).isEqualTo("# app\nJWT_SECRET=" + newValue
                + "\nJWT_SECRET_PREVIOUS=" + INITIAL_JWT + "\nPORT=3000\n");

        // Every write of a KV version named the version it replaces.
        assertThat(dataWrites("app/jwt", "tooljet")).containsExactly(
                "POST /v1/secret/data/app/jwt cas=0",   // adoption: version 1
                "POST /v1/secret/data/app/jwt cas=1",   // the pending version 2 replaces exactly version 1
                "POST /v1/secret/data/tooljet cas=1");  // the target field, on top of the app's version 1
        assertThat(labelHistory("app/jwt")).containsExactly("pending=2 current=1 previous=-",
                "pending=- current=2 previous=1");
        assertThat(topics.distinctMilestones(id)).containsExactly("rotation-requested", "secret-staged",
                "secret-updated", "rotation-completed");
        assertThat(system.allLogs()).doesNotContain(newValue, INITIAL_JWT, FakeVaultKv.TOKEN);
    }

    @Test
    void aFailureAtTheEnvFileAfterTheVaultKvTargetRollsBackTheLabelsAndTheField() throws Exception {
        String id = api.rotate("vault-billing-token", "MANUAL", "doomed");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(rotation.get("error").asText()).startsWith("cannot write env file " + dir.resolve(LONG_ENV));
        assertThat(steps(rotation)).containsExactly("STAGE_SECRET FORWARD SUCCEEDED", "UPDATE_SECRET FORWARD FAILED",
                "UPDATE_SECRET COMPENSATE COMPENSATED", "STAGE_SECRET COMPENSATE COMPENSATED");
        FakeVaultKv.Secret store = vault.secret("secret/app/billing-token");
        String generated = store.data.get(1).get("value");
        assertThat(generated).isNotEqualTo(INITIAL_BILLING);

        // The rollback undid real changes: the field was written with the new value and the labels moved, then back.
        FakeVaultKv.Secret billing = vault.secret("secret/billing");
        assertThat(billing.data).hasSize(3);
        assertThat(billing.data.get(1)).isEqualTo(Map.of("API_TOKEN", generated, "REGION", "eu-west-1"));
        assertThat(labelHistory("app/billing-token")).containsExactly(
                "pending=2 current=1 previous=-",   // STAGE
                "pending=- current=2 previous=1",   // UPDATE: promoted
                "pending=2 current=1 previous=-",   // UPDATE compensated: only labels move back
                "pending=- current=1 previous=-");  // STAGE compensated: the pending version discarded
        assertThat(topics.commandsFor(id)).contains("UPDATE_SECRET/FORWARD", "UPDATE_SECRET/COMPENSATE",
                "STAGE_SECRET/COMPENSATE");

        // The end state: the field and the labels are what they were, no pending version is left.
        assertThat(billing.newest()).isEqualTo(Map.of("API_TOKEN", INITIAL_BILLING, "REGION", "eu-west-1"));
        assertThat(store.data.get(0)).isEqualTo(Map.of("value", INITIAL_BILLING));
        assertThat(labels(store)).containsExactly(Map.entry("rotor.current", "1"), Map.entry("v1", "current"),
                Map.entry("v2", "retired"));
        assertThat(store.state).containsExactly("", "destroyed");
        assertThat(Files.readString(dir.resolve(LONG_ENV))).isEqualTo("API_TOKEN=" + INITIAL_BILLING + "\n");
        assertThat(dataWrites("app/billing-token", "billing")).containsExactly(
                "POST /v1/secret/data/app/billing-token cas=0",
                "POST /v1/secret/data/app/billing-token cas=1",
                "POST /v1/secret/data/billing cas=1",   // the new value
                "POST /v1/secret/data/billing cas=2");  // the old value again
        assertThat(topics.distinctMilestones(id)).contains("compensation-started", "rotation-rolled-back")
                .doesNotContain("secret-updated", "rotation-completed");
    }

    @Test
    void aMissingEnvDirectoryAfterTheVaultKvTargetLeavesVaultAsItWas() throws Exception {
        String id = api.rotate("vault-webhook-key", "MANUAL", "doomed");
        JsonNode rotation = api.awaitTerminal(id, Duration.ofSeconds(90));

        assertThat(rotation.get("state").asText()).as(rotation.toString()).isEqualTo("ROLLED_BACK");
        assertThat(rotation.get("error").asText())
                .isEqualTo("env file " + dir.resolve("no-such-dir/app.env") + " does not exist");
        assertThat(steps(rotation)).containsExactly("STAGE_SECRET FORWARD SUCCEEDED", "UPDATE_SECRET FORWARD FAILED",
                "UPDATE_SECRET COMPENSATE COMPENSATED", "STAGE_SECRET COMPENSATE COMPENSATED");
        FakeVaultKv.Secret payments = vault.secret("secret/payments");
        assertThat(payments.data).hasSize(1);
        assertThat(payments.newest()).isEqualTo(Map.of("WEBHOOK_KEY", INITIAL_WEBHOOK, "MODE", "live"));
        FakeVaultKv.Secret store = vault.secret("secret/app/webhook-key");
        assertThat(store.data.get(0)).isEqualTo(Map.of("value", INITIAL_WEBHOOK));
        assertThat(labels(store)).containsExactly(Map.entry("rotor.current", "1"), Map.entry("v1", "current"),
                Map.entry("v2", "retired"));
        assertThat(store.state).containsExactly("", "destroyed");
        assertThat(dataWrites("app/webhook-key", "payments")).containsExactly(
                "POST /v1/secret/data/app/webhook-key cas=0", "POST /v1/secret/data/app/webhook-key cas=1");
        assertThat(Files.exists(dir.resolve("no-such-dir"))).isFalse();
        assertThat(topics.distinctMilestones(id)).contains("compensation-started", "rotation-rolled-back")
                .doesNotContain("rotation-completed");
    }

    /** {@code rotor.pending|current|previous}, then each {@code rotor.v<N>} record's label as {@code vN}. */
    private static Map<String, String> labels(FakeVaultKv.Secret s) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        for (String k : List.of("rotor.pending", "rotor.current", "rotor.previous")) {
            if (s.custom.containsKey(k)) {
                out.put(k, s.custom.get(k));
            }
        }
        for (var e : s.custom.entrySet()) {
            if (e.getKey().matches("rotor\\.v\\d+")) {
                out.put(e.getKey().substring("rotor.".length()), JSON.readTree(e.getValue()).path("label").asText());
            }
        }
        return out;
    }

    /** Every KV data write (a new version) to these secrets of mount {@code secret}, with the cas it sent. */
    private static List<String> dataWrites(String... paths) {
        List<String> out = new ArrayList<>();
        for (FakeVaultKv.Req r : vault.requests()) {
            for (String p : paths) {
                if (r.isDataWrite() && r.url().equals("/v1/secret/data/" + p)) {
                    out.add(r.toString());
                }
            }
        }
        return out;
    }

    /**
     * The labels written to a store secret's custom_metadata, in order; not the writes that only mark where a change's
     * new versions start ({@code rotor.writing}, with the labels as they were).
     */
    private static List<String> labelHistory(String path) {
        List<String> out = new ArrayList<>();
        for (FakeVaultKv.Req r : vault.requests()) {
            if (r.method().equals("POST") && r.url().equals("/v1/secret/metadata/" + path)
                    && !r.body().path("custom_metadata").has("rotor.writing")) {
                JsonNode c = r.body().path("custom_metadata");
                out.add("pending=" + c.path("rotor.pending").asText("-") + " current="
                        + c.path("rotor.current").asText("-") + " previous=" + c.path("rotor.previous").asText("-"));
            }
        }
        return out;
    }

    /** The rotation's step records, as {@code STEP DIRECTION STATUS}, in order. */
    private static List<String> steps(JsonNode rotation) {
        List<String> out = new ArrayList<>();
        rotation.get("steps").forEach(s -> out.add(s.get("step").asText() + " " + s.get("direction").asText() + " "
                + s.get("status").asText()));
        return out;
    }
}
