package dev.rotor.sync.steps;

import static dev.rotor.contracts.messages.Direction.COMPENSATE;
import static dev.rotor.contracts.messages.Direction.FORWARD;
import static dev.rotor.contracts.messages.Step.RETIRE_PREVIOUS;
import static dev.rotor.contracts.messages.Step.STAGE_SECRET;
import static dev.rotor.contracts.messages.Step.UPDATE_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rotor.contracts.catalog.GeneratorSpec;
import dev.rotor.contracts.catalog.SecretKind;
import dev.rotor.contracts.catalog.StoreRef;
import dev.rotor.contracts.catalog.Strategy;
import dev.rotor.contracts.catalog.TargetSpec;
import dev.rotor.contracts.messages.Direction;
import dev.rotor.contracts.messages.Step;
import dev.rotor.contracts.messages.StepCompensated;
import dev.rotor.contracts.messages.StepFailed;
import dev.rotor.contracts.messages.StepRequested;
import dev.rotor.contracts.messages.StepResult;
import dev.rotor.contracts.messages.StepSpec;
import dev.rotor.contracts.messages.StepSucceeded;
import dev.rotor.contracts.store.LocalStoreFormat;
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.store.HomeScan;
import dev.rotor.sync.store.LocalKeystoreStore;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.SecretVersion;
import dev.rotor.sync.target.EnvFile;
import dev.rotor.sync.vault.FakeVault;
import dev.rotor.sync.vault.VaultClient;
import dev.rotor.sync.vault.VaultOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Design §10, "old material does not linger": once an immediate rotation's UPDATE_SECRET succeeded, or a dual-key
 * rotation's RETIRE_PREVIOUS, the old value is nowhere under ROTOR_HOME (decrypted keystore and every file) and, in a
 * Vault store, destroyed.
 */
class NoLeftoversTest {
    static final String OLD = "leaked-signing-key-0123456789abcdef";
    static final String OLDER = "older-grace-value-fedcba9876543210";
    static final String PATH = "app/jwt";

    @TempDir
    Path dir;
    Path home;
    Path env;
    FakeVault vault;
    LocalKeystoreStore local;
    StepDispatcher dispatcher;
    final UUID rotation = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        home = dir.resolve("home");
        env = Files.createDirectories(home.resolve("app")).resolve(".env");
        Files.writeString(env, "JWT_SECRET=" + OLD + "\nJWT_SECRET_PREVIOUS=" + OLDER + "\n");
        vault = new FakeVault();
        vault.put("secret/tooljet", Map.of("JWT", OLD, "OTHER", "kept"));
        local = new LocalKeystoreStore(home, Optional.empty());
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN));
        dispatcher = new StepDispatcher(new SecretStores(local, client), name -> Optional.empty(),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
    }

    @AfterEach
    void tearDown() {
        vault.close();
    }

    @Test
    void afterAnImmediateUpdateTheOldValueIsNowhereUnderTheHome() throws Exception {
        assertThat(run(STAGE_SECRET, FORWARD, null, null, "local", envOnly())).isInstanceOf(StepSucceeded.class);
        assertThat(HomeScan.find(home, OLD)).as("the scan sees the adopted value before the update")
                .contains("keystore entry " + LocalStoreFormat.versionAlias(PATH, 1), "app/.env (raw)");

        assertThat(run(UPDATE_SECRET, FORWARD, 1, 2, "local", envOnly())).isInstanceOf(StepSucceeded.class);

        String next = local.read(PATH, 2);
        assertThat(HomeScan.find(home, OLD)).isEmpty();
        assertThat(HomeScan.find(home, OLDER)).isEmpty();
        assertThat(HomeScan.find(home, next)).contains("keystore entry " + LocalStoreFormat.versionAlias(PATH, 2));
        assertThat(EnvFile.read(env).get("JWT_SECRET")).hasValue(next);
        assertThat(EnvFile.read(env).get("JWT_SECRET_PREVIOUS")).hasValue("");
        assertThat(local.versions(PATH)).extracting(SecretVersion::destroyed).containsExactly(true, false);
    }

    @Test
    void anImmediateUpdateDestroysTheEarlierVersionOfAVaultKvTargetThatHeldTheOldValue() throws Exception {
        List<TargetSpec> targets = List.of(envTarget(), kvTarget());
        run(STAGE_SECRET, FORWARD, null, null, "local", targets);
        vault.reset();

        assertThat(run(UPDATE_SECRET, FORWARD, 1, 2, "local", targets)).isInstanceOf(StepSucceeded.class);

        String app = "/v1/secret/data/tooljet";
        assertThat(vault.requests()).containsExactly(
                "GET " + app,                                        // the undo copy
                "GET " + app,
                "POST " + app + " cas=1 fields=[JWT, OTHER]",
                "GET /v1/secret/metadata/tooljet",
                "GET " + app + "?version=1",
                "POST /v1/secret/destroy/tooljet versions=[1]");
        assertThat(vault.secret("secret/tooljet").state).containsExactly("destroyed", "");
        assertThat(vault.secret("secret/tooljet").data.get(1)).containsEntry("JWT", local.read(PATH, 2))
                .containsEntry("OTHER", "kept");
        assertThat(HomeScan.find(home, OLD)).isEmpty();
    }

    @Test
    void aCompensationAfterASucceededImmediateUpdateChangesNothingAndSaysWhy() throws Exception {
        run(STAGE_SECRET, FORWARD, null, null, "local", envOnly());
        run(UPDATE_SECRET, FORWARD, 1, 2, "local", envOnly());
        String after = Files.readString(env);

        assertThat(run(UPDATE_SECRET, COMPENSATE, 1, 2, "local", envOnly())).isInstanceOfSatisfying(StepFailed.class,
                f -> {
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.error()).isEqualTo("version 1 of jwt-secret was destroyed and cannot be restored (an"
                            + " immediate or credential rotation destroys the old value once UPDATE_SECRET"
                            + " succeeded); nothing was changed");
                });
        assertThat(local.versions(PATH)).extracting(v -> v.label().wireName()).containsExactly("retired", "current");
        assertThat(Files.readString(env)).isEqualTo(after);
    }

    @Test
    void anUpdateThatFailedKeepsItsUndoCopySoTheCompensationRestoresTheOldValue() throws Exception {
        List<TargetSpec> targets = List.of(envTarget(), kvTarget());
        run(STAGE_SECRET, FORWARD, null, null, "local", targets);
        vault.failures.put("POST /v1/secret/data/tooljet", 503);

        assertThat(run(UPDATE_SECRET, FORWARD, 1, 2, "local", targets)).isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.retryable()).isTrue());
        assertThat(HomeScan.find(home, OLD)).as("the undo copy is kept while the step may be compensated")
                .isNotEmpty();

        vault.failures.clear();
        assertThat(run(UPDATE_SECRET, COMPENSATE, 1, 2, "local", targets)).isInstanceOf(StepCompensated.class);
        assertThat(Files.readString(env)).isEqualTo("JWT_SECRET=" + OLD + "\nJWT_SECRET_PREVIOUS=" + OLDER + "\n");
        assertThat(local.read(PATH, 1)).isEqualTo(OLD);
        assertThat(local.versions(PATH)).extracting(v -> v.label().wireName()).containsExactly("current", "pending");
    }

    @Test
    void anImmediateUpdateOfAVaultStoreDestroysTheOldVersion() throws Exception {
        String data = "/v1/secret/data/" + PATH;
        String meta = "/v1/secret/metadata/" + PATH;
        run(STAGE_SECRET, FORWARD, null, null, "vault", envOnly());
        vault.reset();

        assertThat(run(UPDATE_SECRET, FORWARD, 1, 2, "vault", envOnly())).isInstanceOf(StepSucceeded.class);

        String undo = "/v1/secret/data/rotor-undo/" + PATH;
        String undoMeta = "/v1/secret/metadata/rotor-undo/" + PATH;
        List<String> requests = vault.requests();
        assertThat(requests).hasSize(13);
        assertThat(requests.get(4)).startsWith("POST " + undo + " cas=0 fields=[").endsWith("/version.1]");
        assertThat(requests).containsExactly(
                "GET " + meta,
                "GET " + undoMeta,
                "GET " + data + "?version=1",                              // the undo copy, kept in Vault
                "GET " + data + "?version=2",
                requests.get(4),                                           // the copies, before any change
                "POST " + meta + " labels pending=- current=2 previous=-",
                "POST /v1/secret/delete/" + PATH + " versions=[1]",         // undeletable while the step runs
                "GET " + meta,
                "GET " + undoMeta,
                "GET " + undo,
                "POST /v1/secret/destroy/rotor-undo/" + PATH + " versions=[1]",   // the undo copies go for good
                "POST " + meta + " labels pending=- current=2 previous=-",
                "POST /v1/secret/destroy/" + PATH + " versions=[1]");      // done: destroyed for good
        assertThat(vault.secret("secret/" + PATH).state).containsExactly("destroyed", "");
        assertThat(vault.secret("secret/rotor-undo/" + PATH).state).containsExactly("destroyed");
        assertThat(HomeScan.find(home, OLD)).isEmpty();
        assertThat(HomeScan.find(home, OLDER)).isEmpty();
    }

    @Test
    void aDualKeyRetirementLeavesTheOldValueNowhereUnderTheHome() throws Exception {
        run(STAGE_SECRET, FORWARD, null, null, "local", envOnly(), true);
        run(UPDATE_SECRET, FORWARD, 1, 2, "local", envOnly(), true);
        assertThat(HomeScan.find(home, OLD)).as("kept as previous through the grace period")
                .contains("keystore entry " + LocalStoreFormat.versionAlias(PATH, 1), "app/.env (raw)");

        assertThat(run(RETIRE_PREVIOUS, FORWARD, 1, 2, "local", envOnly(), true)).isInstanceOf(StepSucceeded.class);

        assertThat(HomeScan.find(home, OLD)).isEmpty();
        assertThat(HomeScan.find(home, OLDER)).isEmpty();
        assertThat(local.versions(PATH)).extracting(v -> v.label().wireName()).containsExactly("retired", "current");
    }

    private List<TargetSpec> envOnly() {
        return List.of(envTarget());
    }

    private static TargetSpec kvTarget() {
        return new TargetSpec("vault-kv", "secret/tooljet", null, null, "JWT");
    }

    private TargetSpec envTarget() {
        return new TargetSpec("env-file", env.toString(), "JWT_SECRET", "JWT_SECRET_PREVIOUS", null);
    }

    private StepResult run(Step step, Direction direction, Integer from, Integer to, String store,
            List<TargetSpec> targets) {
        return run(step, direction, from, to, store, targets, false);
    }

    private StepResult run(Step step, Direction direction, Integer from, Integer to, String store,
            List<TargetSpec> targets, boolean dualKey) {
        StepSpec spec = new StepSpec("jwt-secret", SecretKind.SIGNING_KEY, dualKey ? Strategy.DUAL_KEY
                : Strategy.IMMEDIATE, new GeneratorSpec("base64", 32, null, null), new StoreRef(store, PATH, null),
                targets, null, null, from, to, dualKey, false);
        return dispatcher.handle(new StepRequested(rotation, step, 1, direction, spec, Instant.now())).orElseThrow();
    }
}
