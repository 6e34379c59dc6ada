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
import dev.rotor.sync.credential.CredentialApplier;
import dev.rotor.sync.store.LocalKeystoreStore;
import dev.rotor.sync.store.SecretStores;
import dev.rotor.sync.store.SecretVersion;
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
 * The vault store and the vault-kv target against a WireMock fake of KV v2: the exact requests of each step (paths,
 * cas, labels in custom_metadata), and the error mapping.
 */
class VaultRotationTest {
    static final String DATA = "/v1/secret/data/app/jwt";
    static final String META = "/v1/secret/metadata/app/jwt";
    static final String APP = "/v1/secret/data/tooljet";
    /** Where the undo copies of app/jwt's rotations live (VaultUndo). */
    static final String UNDO = "/v1/secret/data/rotor-undo/app/jwt";
    static final String UNDO_META = "/v1/secret/metadata/rotor-undo/app/jwt";
    /** The replicas' lease on app/jwt (VaultLease). */
    static final String LOCK = "/v1/secret/data/rotor-lock/app/jwt";
    static final String LOCK_META = "/v1/secret/metadata/rotor-lock/app/jwt";

    @TempDir
    Path dir;
    FakeVault vault;
    StepDispatcher dispatcher;
    Path env;
    final UUID rotation = UUID.randomUUID();

    @BeforeEach
    void setUp() throws Exception {
        vault = new FakeVault();
        vault.put("secret/tooljet", Map.of("JWT", "old-value", "OTHER", "kept"));
        env = Files.writeString(dir.resolve(".env"), "# app\nJWT_SECRET=old-value\nJWT_SECRET_PREVIOUS=\n");
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN));
        SecretStores stores = new SecretStores(new LocalKeystoreStore(dir.resolve("home"), Optional.of("pw")), client);
        dispatcher = new StepDispatcher(stores, name -> Optional.empty(),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
    }

    @AfterEach
    void tearDown() {
        vault.close();
    }

    @Test
    void stageUpdateRetireMakeExactlyTheseRequests() throws Exception {
        StepResult staged = run(STAGE_SECRET, FORWARD, null, null);
        assertThat(staged).isInstanceOfSatisfying(StepSucceeded.class, s -> {
            assertThat(s.fromVersion()).isEqualTo(1);
            assertThat(s.toVersion()).isEqualTo(2);
        });
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "GET " + UNDO_META,                              // no undo copies of an older rotation to drop
                "POST " + META + " labels pending=- current=- previous=- writing=1",   // where new versions start
                "POST " + DATA + " cas=0 fields=[value]",        // adopted from .env as version 1
                "POST " + DATA + " cas=1 fields=[value]",        // the new pending version replaces exactly v1
                "POST " + META + " labels pending=2 current=1 previous=-");   // and the mark is cleared
        String generated = vault.secret("secret/app/jwt").data.get(1).get("value");
        assertThat(vault.secret("secret/app/jwt").data.get(0)).containsEntry("value", "old-value");

        vault.reset();
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepSucceeded.class,
                s -> assertThat(s.toVersion()).isEqualTo(2));
        assertThat(vault.requests()).as("a replay writes nothing").containsExactly("GET " + META);

        vault.reset();
        assertThat(run(UPDATE_SECRET, FORWARD, 1, 2)).isInstanceOf(StepSucceeded.class);
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "GET " + UNDO_META,
                "GET " + APP,                                   // undo copy of the vault-kv target
                "GET " + DATA + "?version=2",
                "GET " + DATA + "?version=1",
                "POST " + UNDO + " cas=0 fields=[" + rotation + "/0.previous, " + rotation + "/0.variable, "
                        + rotation + "/1.variable]",            // the undo copies, in Vault, before any change
                "POST " + META + " labels pending=- current=2 previous=1",   // promotion moves only labels
                "GET " + APP,
                "POST " + APP + " cas=1 fields=[JWT, OTHER]");
        assertThat(vault.secret("secret/tooljet").data.get(1)).containsExactlyInAnyOrderEntriesOf(
                Map.of("JWT", generated, "OTHER", "kept"));
        assertThat(Files.readString(env)).isEqualTo("# app\nJWT_SECRET=" + render(generated)
                + "\nJWT_SECRET_PREVIOUS=old-value\n");

        vault.reset();
        assertThat(run(RETIRE_PREVIOUS, FORWARD, 1, 2)).isInstanceOf(StepSucceeded.class);
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "GET " + DATA + "?version=1",                   // the retired value, to find the target's copies
                "GET /v1/secret/metadata/tooljet",
                "GET " + APP + "?version=1",
                "POST /v1/secret/destroy/tooljet versions=[1]",  // the target's earlier version held it too
                "GET " + UNDO_META,
                "GET " + UNDO,
                "POST /v1/secret/destroy/rotor-undo/app/jwt versions=[1]",   // past the pivot: the undo copies go
                "POST " + META + " labels pending=- current=2 previous=-",
                "POST /v1/secret/destroy/app/jwt versions=[1]");
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("destroyed", "");
        assertThat(vault.secret("secret/tooljet").state).containsExactly("destroyed", "");
        assertThat(vault.secret("secret/tooljet").data.get(1)).containsEntry("JWT", generated)
                .containsEntry("OTHER", "kept");
        assertThat(labels()).containsExactly("retired", "current");
        assertThat(Files.readString(env)).endsWith("JWT_SECRET_PREVIOUS=\n");
        assertThat(vault.secret("secret/app/jwt").custom.toString()).doesNotContain(generated, "old-value");
        assertThat(vault.secret("secret/rotor-undo/app/jwt").state).containsExactly("destroyed");
    }

    @Test
    void compensationRestoresLabelsAndTheTargetFieldAndDestroysThePending() throws Exception {
        run(STAGE_SECRET, FORWARD, null, null);
        run(UPDATE_SECRET, FORWARD, 1, 2);
        vault.reset();
        assertThat(run(UPDATE_SECRET, COMPENSATE, 1, 2)).isInstanceOf(StepCompensated.class);
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "GET " + UNDO_META,
                "GET " + UNDO,                                  // the copies UPDATE_SECRET saved, on any replica
                "POST " + META + " labels pending=2 current=1 previous=-",
                "GET " + APP,
                "POST " + APP + " cas=2 fields=[JWT, OTHER]");
        assertThat(vault.secret("secret/tooljet").data.get(2)).containsEntry("JWT", "old-value")
                .containsEntry("OTHER", "kept");
        assertThat(Files.readString(env)).isEqualTo("# app\nJWT_SECRET=old-value\nJWT_SECRET_PREVIOUS=\n");

        vault.reset();
        assertThat(run(STAGE_SECRET, COMPENSATE, 1, 2)).isInstanceOf(StepCompensated.class);
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "POST " + META + " labels pending=- current=1 previous=-",
                "POST /v1/secret/destroy/app/jwt versions=[2]");
        assertThat(labels()).containsExactly("current", "retired");
    }

    @Test
    void aConcurrentWriterIsDetectedByCasAndNeverOverwritten() throws Exception {
        run(STAGE_SECRET, FORWARD, null, null);
        run(STAGE_SECRET, COMPENSATE, 1, 2);
        vault.beforeWrite.put("secret/app/jwt", () -> vault.put("secret/app/jwt", Map.of("value", "someone-else")));
        vault.reset();
        StepResult r = dispatcher.handle(command(UUID.randomUUID(), STAGE_SECRET, FORWARD, null, null)).orElseThrow();
        assertThat(r).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isFalse();
            assertThat(f.error()).startsWith("concurrent write detected on secret/data/app/jwt: expected to replace "
                    + "version 2 (cas)");
        });
        assertThat(vault.requests()).containsExactly("GET " + META, "GET " + UNDO_META,
                "POST " + META + " labels pending=- current=1 previous=- writing=3",
                "POST " + DATA + " cas=2 fields=[value]");
        assertThat(vault.secret("secret/app/jwt").data.get(2)).containsEntry("value", "someone-else");
    }

    @Test
    void versionsWrittenByAStageThatFailedAreDestroyedNotLeftLiveAndUnlabelled() {
        vault.failures.put("POST " + META + " labels pending=2", 503);
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepFailed.class,
                f -> assertThat(f.retryable()).isTrue());
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "GET " + UNDO_META,
                "POST " + META + " labels pending=- current=- previous=- writing=1",
                "POST " + DATA + " cas=0 fields=[value]",
                "POST " + DATA + " cas=1 fields=[value]",
                "POST " + META + " labels pending=2 current=1 previous=-",   // answered 503
                "POST /v1/secret/destroy/app/jwt versions=[1,2]");
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("destroyed", "destroyed");

        vault.failures.clear();
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepSucceeded.class, s -> {
            assertThat(s.fromVersion()).isEqualTo(3);
            assertThat(s.toVersion()).isEqualTo(4);
        });
        assertThat(labels()).containsExactly("current", "pending");
    }

    @Test
    void versionsOfAReplicaThatDiedBeforeLabellingThemAreDestroyedByTheNextChangeOnAnotherReplica() {
        // A replica dies between its new versions and their labels: neither the labels nor its own clean-up arrive.
        vault.failures.put("POST " + META + " labels pending=2", 503);
        vault.failures.put("POST /v1/secret/destroy/app/jwt", 503);
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOf(StepFailed.class);
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("", "");
        assertThat(vault.secret("secret/app/jwt").custom).containsEntry("rotor.writing", "1");

        vault.failures.clear();
        vault.reset();
        StepResult redelivered = replica().handle(command(rotation, STAGE_SECRET, FORWARD, null, null)).orElseThrow();
        assertThat(redelivered).isInstanceOfSatisfying(StepSucceeded.class, s -> {
            assertThat(s.fromVersion()).isEqualTo(3);
            assertThat(s.toVersion()).isEqualTo(4);
        });
        assertThat(vault.requests()).containsExactly(
                "GET " + META,
                "POST /v1/secret/destroy/app/jwt versions=[1,2]",   // live, unlabelled, from the mark on
                "GET " + UNDO_META,
                "POST " + META + " labels pending=- current=- previous=- writing=3",
                "POST " + DATA + " cas=2 fields=[value]",
                "POST " + DATA + " cas=3 fields=[value]",
                "POST " + META + " labels pending=4 current=3 previous=-");
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("destroyed", "destroyed", "", "");
        assertThat(vault.secret("secret/app/jwt").custom).doesNotContainKey("rotor.writing");
        assertThat(labels()).containsExactly("current", "pending");
    }

    @Test
    void aCompensationOnAnotherReplicaRestoresWhatTheFirstReplicaSaved() throws Exception {
        run(STAGE_SECRET, FORWARD, null, null);
        run(UPDATE_SECRET, FORWARD, 1, 2);
        String generated = vault.secret("secret/app/jwt").data.get(1).get("value");
        // A redelivered UPDATE on the second replica: the targets already hold the new value, and it must not
        // become the undo copy.
        StepDispatcher second = replica();
        assertThat(second.handle(command(rotation, UPDATE_SECRET, FORWARD, 1, 2)).orElseThrow())
                .isInstanceOf(StepSucceeded.class);
        assertThat(second.handle(command(rotation, UPDATE_SECRET, COMPENSATE, 1, 2)).orElseThrow())
                .isInstanceOf(StepCompensated.class);
        assertThat(Files.readString(env)).isEqualTo("# app\nJWT_SECRET=old-value\nJWT_SECRET_PREVIOUS=\n");
        assertThat(vault.secret("secret/tooljet").data.get(vault.secret("secret/tooljet").data.size() - 1))
                .isEqualTo(Map.of("JWT", "old-value", "OTHER", "kept"));
        assertThat(second.handle(command(rotation, STAGE_SECRET, COMPENSATE, 1, 2)).orElseThrow())
                .isInstanceOf(StepCompensated.class);
        assertThat(labels()).containsExactly("current", "retired");
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("", "destroyed");
        assertThat(vault.secret("secret/rotor-undo/app/jwt").data.toString()).doesNotContain(generated);
    }

    @Test
    void replicasOnVaultRefuseALocalStoreEntryNamingTheSetting() {
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN));
        StepDispatcher replicas = new StepDispatcher(new SecretStores(new LocalKeystoreStore(dir.resolve("r"),
                Optional.of("pw")), client, false, java.time.Duration.ofSeconds(15)), name -> Optional.empty(),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
        StepSpec spec = command(rotation, STAGE_SECRET, FORWARD, null, null).spec();
        StepSpec local = new StepSpec(spec.secretId(), spec.kind(), spec.strategy(), spec.generator(),
                new StoreRef("local", "app/jwt", null), spec.targets(), null, null, null, null, true, false);
        StepResult r = replicas.handle(new StepRequested(rotation, STAGE_SECRET, 1, FORWARD, local, Instant.now()))
                .orElseThrow();
        assertThat(r).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isFalse();
            assertThat(f.error()).isEqualTo("store type 'local' is disabled on this secret-sync"
                    + " (rotor.sync.local-store-enabled=false, env ROTOR_SYNC_LOCAL_STORE_ENABLED): its replicas each"
                    + " have their own disk; use store type 'vault'");
        });
        assertThat(Files.exists(dir.resolve("r/keystore/rotor.bcfks"))).isFalse();
    }

    @Test
    void everyChangeRunsUnderTheReplicasLeaseInVault() {
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOf(StepSucceeded.class);
        assertThat(vault.allRequests()).containsSubsequence(
                "GET " + LOCK,                                    // never written: free
                "GET " + LOCK_META,
                "POST " + LOCK + " cas=0 fields=[holder, until]", // taken
                "GET " + META,
                "POST " + META + " labels pending=2 current=1 previous=-",
                "POST " + LOCK + " cas=1 fields=[holder, until]"); // freed, on the version it wrote
        assertThat(vault.secret("secret/rotor-lock/app/jwt").data.get(1)).containsEntry("holder", "")
                .containsEntry("until", "");
    }

    @Test
    void aLeaseAnotherReplicaHoldsIsWaitedForAndTakenOnceItEnds() {
        java.time.Instant until = Instant.now().plusMillis(1500);
        vault.put("secret/rotor-lock/app/jwt", Map.of("holder", "the-other-replica", "until", until.toString()));
        StepResult r = run(STAGE_SECRET, FORWARD, null, null);
        assertThat(Instant.now()).isAfterOrEqualTo(until);
        assertThat(r).isInstanceOf(StepSucceeded.class);
        assertThat(vault.allRequests()).contains("POST " + LOCK + " cas=1 fields=[holder, until]")
                .doesNotContain("POST " + LOCK + " cas=0 fields=[holder, until]");
        assertThat(vault.allRequests().indexOf("POST " + LOCK + " cas=1 fields=[holder, until]"))
                .as("nothing of the secret before the lease").isLessThan(vault.allRequests().indexOf("GET " + META));
    }

    @Test
    void aChangeThatOutlivesItsLeaseWritesNoLabelsAndDestroysWhatItWrote() {
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN));
        StepDispatcher slow = new StepDispatcher(new SecretStores(new LocalKeystoreStore(dir.resolve("s"),
                Optional.of("pw")), client, true, java.time.Duration.ofSeconds(1)), name -> Optional.empty(),
                new CredentialApplier(CredentialApplier.FRESH_LOGIN));
        vault.beforeWrite.put("secret/app/jwt", () -> sleep(1200)); // Vault answers the first new version slowly
        StepResult r = slow.handle(command(rotation, STAGE_SECRET, FORWARD, null, null)).orElseThrow();
        assertThat(r).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isTrue();
            assertThat(f.error()).isEqualTo("the lease on secret/data/rotor-lock/app/jwt ran out before the change was"
                    + " written; nothing was labelled, will retry");
        });
        assertThat(vault.requests()).doesNotContain("POST " + META + " labels pending=2 current=1 previous=-")
                .endsWith("POST /v1/secret/destroy/app/jwt versions=[1,2]");
        assertThat(vault.secret("secret/app/jwt").state).containsExactly("destroyed", "destroyed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A second secret-sync replica: the same Vault, a keystore (home) of its own. */
    private StepDispatcher replica() {
        VaultClient client = new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN));
        return new StepDispatcher(new SecretStores(new LocalKeystoreStore(dir.resolve("replica-2"), Optional.of("pw")),
                client), name -> Optional.empty(), new CredentialApplier(CredentialApplier.FRESH_LOGIN));
    }

    @Test
    void forbiddenIsNotRetryableAndNamesThePolicyPath() {
        vault.failures.put("POST " + DATA, 403);
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isFalse();
            assertThat(f.error()).isEqualTo("permission denied on secret/data/app/jwt: the token's policy needs "
                    + "create/update on this path");
        });
    }

    @Test
    void unavailableIsRetryable() {
        vault.failures.put("GET " + META, 503);
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isTrue();
            assertThat(f.error()).startsWith("Vault answered 503 for secret/metadata/app/jwt (will retry)");
        });
    }

    @Test
    void aVaultThatDoesNotAnswerIsRetryable() throws Exception {
        VaultClient dead = new VaultClient(VaultOptions.token("http://127.0.0.1:1", FakeVault.ROOT_TOKEN));
        dispatcher = new StepDispatcher(new SecretStores(new LocalKeystoreStore(dir.resolve("h2"), Optional.of("pw")),
                dead), name -> Optional.empty(), new CredentialApplier(CredentialApplier.FRESH_LOGIN));
        assertThat(run(STAGE_SECRET, FORWARD, null, null)).isInstanceOfSatisfying(StepFailed.class, f -> {
            assertThat(f.retryable()).isTrue();
            // The first call of a change takes the replicas' lease.
            assertThat(f.error()).startsWith("Vault did not answer for secret/data/rotor-lock/app/jwt");
        });
    }

    private List<String> labels() {
        return new SecretStores(null, new VaultClient(VaultOptions.token(vault.address(), FakeVault.ROOT_TOKEN)))
                .forRef(new StoreRef("vault", "app/jwt", null)).versions("app/jwt").stream()
                .map(SecretVersion::label).map(l -> l.wireName()).toList();
    }

    private StepResult run(Step step, Direction direction, Integer from, Integer to) {
        return dispatcher.handle(command(rotation, step, direction, from, to)).orElseThrow();
    }

    private StepRequested command(UUID id, Step step, Direction direction, Integer from, Integer to) {
        StepSpec spec = new StepSpec("jwt-secret", SecretKind.SIGNING_KEY, Strategy.DUAL_KEY,
                new GeneratorSpec("base64", 32, null, null), new StoreRef("vault", "app/jwt", null),
                List.of(new TargetSpec("env-file", env.toString(), "JWT_SECRET", "JWT_SECRET_PREVIOUS", null),
                        new TargetSpec("vault-kv", "secret/tooljet", null, null, "JWT")),
                null, null, from, to, true, false);
        return new StepRequested(id, step, 1, direction, spec, Instant.now());
    }

    private static String render(String v) {
        return dev.rotor.sync.target.DotenvValues.render(v).orElseThrow();
    }
}
